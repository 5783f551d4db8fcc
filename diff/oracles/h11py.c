#define _GNU_SOURCE /* pipe2, F_SETPIPE_SZ */
#include "diff/oracles/h11py.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diff/model/verdict_parse.h"

/* The text of diff/oracles/h11py_worker.py (generated; NUL-terminated). */
extern const char h11py_worker_script[];

#define WAIT_TIMEOUT_MS 120000

typedef struct worker {
  pid_t pid;
  int to, from;
  bool dead;
  /* Requests not yet written. */
  char *obuf;
  size_t olen, ooff, ocap;
  /* Bytes of an answer line not yet complete. */
  char *ibuf;
  size_t ilen, icap;
  /* Jobs waiting for their answer, in order. */
  h11py_job **fifo;
  size_t fhead, ftail, fcap;
} worker;

struct h11py_pool {
  int n;
  worker *w;
  size_t next;
  char python[PATH_MAX];
};

/* Runs `python -c "import h11"` quietly; true if it exits 0. */
static bool can_import_h11(const char *python) {
  pid_t pid;
  int status;
  if (access(python, X_OK) != 0)
    return false;
  pid = fork();
  if (pid < 0)
    return false;
  if (pid == 0) {
    int fd = open("/dev/null", O_RDWR);
    if (fd >= 0) {
      dup2(fd, 0);
      dup2(fd, 1);
      dup2(fd, 2);
    }
    execl(python, python, "-c", "import h11", (char *)NULL);
    _exit(127);
  }
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR)
      return false;
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

const char *h11py_find_python(char *err, size_t errlen) {
  static char found[PATH_MAX];
  char tried[2048];
  const char *env = getenv("H11C_PYTHON");
  size_t tlen = 0;
  tried[0] = '\0';
#define TRIED(p)                                                               \
  do {                                                                         \
    int k_ = snprintf(tried + tlen, sizeof tried - tlen, "%s%s",               \
                      tlen ? ", " : "", (p));                                  \
    if (k_ > 0 && (size_t)k_ < sizeof tried - tlen)                            \
      tlen += (size_t)k_;                                                      \
  } while (0)
  if (env && *env) {
    if (can_import_h11(env)) {
      snprintf(found, sizeof found, "%s", env);
      return found;
    }
    verdict_errf(
        err, errlen,
        "h11py: H11C_PYTHON=%s cannot import h11; install h11 for that "
        "interpreter (pip install h11), or unset H11C_PYTHON to use "
        "Debian's python3-h11 (apt-get install python3-h11)",
        env);
    return NULL;
  }
  if (can_import_h11("/usr/bin/python3")) {
    snprintf(found, sizeof found, "/usr/bin/python3");
    return found;
  }
  TRIED("/usr/bin/python3");
  {
    const char *path = getenv("PATH");
    char *copy = path ? strdup(path) : NULL, *save = NULL, *dir;
    for (dir = copy ? strtok_r(copy, ":", &save) : NULL; dir;
         dir = strtok_r(NULL, ":", &save)) {
      char cand[PATH_MAX];
      if (!*dir)
        continue;
      snprintf(cand, sizeof cand, "%s/python3", dir);
      if (access(cand, X_OK) != 0 || strcmp(cand, "/usr/bin/python3") == 0)
        continue;
      if (can_import_h11(cand)) {
        snprintf(found, sizeof found, "%s", cand);
        free(copy);
        return found;
      }
      TRIED(cand);
    }
    free(copy);
  }
#undef TRIED
  verdict_errf(
      err, errlen,
      "h11py: no Python interpreter can import h11 (tried: %s).  Install "
      "Debian's python3-h11 (apt-get install python3-h11; tools/setup.sh "
      "does), or `pip install h11` for a python3 on PATH, or set "
      "H11C_PYTHON to an interpreter that has it",
      tlen ? tried : "none found");
  return NULL;
}

static void worker_close(worker *w) {
  int status;
  if (w->to >= 0)
    close(w->to);
  if (w->from >= 0)
    close(w->from);
  w->to = w->from = -1;
  if (w->pid > 0) {
    while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR)
      ;
  }
  w->pid = 0;
}

static int worker_spawn(worker *w, const char *python, char *err,
                        size_t errlen) {
  int in[2], out[2];
  const char *script = getenv("H11C_H11PY_SCRIPT");
  pid_t pid;
  if (pipe2(in, O_CLOEXEC) != 0)
    return verdict_errf(err, errlen, "h11py: pipe: %s", strerror(errno));
  if (pipe2(out, O_CLOEXEC) != 0) {
    close(in[0]);
    close(in[1]);
    return verdict_errf(err, errlen, "h11py: pipe: %s", strerror(errno));
  }
  /* Larger pipes let a whole batch be written before the worker answers. */
  (void)fcntl(in[1], F_SETPIPE_SZ, 1 << 20);
  (void)fcntl(out[0], F_SETPIPE_SZ, 1 << 20);
  pid = fork();
  if (pid < 0) {
    close(in[0]);
    close(in[1]);
    close(out[0]);
    close(out[1]);
    return verdict_errf(err, errlen, "h11py: fork: %s", strerror(errno));
  }
  if (pid == 0) {
    dup2(in[0], 0);
    dup2(out[1], 1);
    if (script && *script)
      execl(python, python, script, "--worker", (char *)NULL);
    else
      execl(python, python, "-c", h11py_worker_script, "--worker",
            (char *)NULL);
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  w->pid = pid;
  w->to = in[1];
  w->from = out[0];
  w->dead = false;
  fcntl(w->to, F_SETFL, fcntl(w->to, F_GETFL) | O_NONBLOCK);
  fcntl(w->from, F_SETFL, fcntl(w->from, F_GETFL) | O_NONBLOCK);
  return 0;
}

int h11py_pool_start(h11py_pool **pool, int nworkers, char *err,
                     size_t errlen) {
  h11py_pool *p;
  const char *python;
  struct sigaction sa;
  int i;
  *pool = NULL;
  python = h11py_find_python(err, errlen);
  if (!python)
    return -1;
  /* A worker that dies must not kill us through SIGPIPE. */
  if (sigaction(SIGPIPE, NULL, &sa) == 0 && sa.sa_handler == SIG_DFL)
    signal(SIGPIPE, SIG_IGN);
  if (nworkers < 1)
    nworkers = 1;
  p = calloc(1, sizeof *p);
  if (!p)
    return verdict_errf(err, errlen, "out of memory");
  p->w = calloc((size_t)nworkers, sizeof *p->w);
  if (!p->w) {
    free(p);
    return verdict_errf(err, errlen, "out of memory");
  }
  snprintf(p->python, sizeof p->python, "%s", python);
  p->n = nworkers;
  for (i = 0; i < nworkers; i++) {
    p->w[i].to = p->w[i].from = -1;
    if (worker_spawn(&p->w[i], python, err, errlen) != 0) {
      h11py_pool_stop(p);
      return -1;
    }
  }
  *pool = p;
  return 0;
}

int h11py_pool_size(const h11py_pool *pool) { return pool->n; }

const char *h11py_pool_python(const h11py_pool *pool) { return pool->python; }

static void fail_pending(worker *w, const char *why) {
  while (w->fhead != w->ftail) {
    h11py_job *j = w->fifo[w->fhead++ % w->fcap];
    j->rc = -1;
    snprintf(j->err, sizeof j->err, "%s", why);
  }
  w->fhead = w->ftail = 0;
  w->olen = w->ooff = 0;
  w->ilen = 0;
}

static void worker_died(worker *w) {
  char why[128];
  int status = 0;
  if (w->to >= 0)
    close(w->to);
  if (w->from >= 0)
    close(w->from);
  w->to = w->from = -1;
  if (w->pid > 0)
    while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR)
      ;
  w->pid = 0;
  if (WIFEXITED(status))
    snprintf(why, sizeof why, "h11py worker exited with status %d",
             WEXITSTATUS(status));
  else if (WIFSIGNALED(status))
    snprintf(why, sizeof why, "h11py worker killed by signal %d",
             WTERMSIG(status));
  else
    snprintf(why, sizeof why, "h11py worker stopped");
  fail_pending(w, why);
  w->dead = true;
}

void h11py_pool_stop(h11py_pool *pool) {
  int i;
  if (!pool)
    return;
  for (i = 0; i < pool->n; i++) {
    worker *w = &pool->w[i];
    if (w->to >= 0) {
      close(w->to); /* end of input: the worker exits */
      w->to = -1;
    }
    worker_close(w);
    free(w->obuf);
    free(w->ibuf);
    free(w->fifo);
  }
  free(pool->w);
  free(pool);
}

static bool buf_reserve(char **buf, size_t *cap, size_t need) {
  if (need <= *cap)
    return true;
  {
    size_t nc = *cap ? *cap : 4096;
    char *q;
    while (nc < need)
      nc *= 2;
    q = realloc(*buf, nc);
    if (!q)
      return false;
    *buf = q;
    *cap = nc;
  }
  return true;
}

static bool fifo_push(worker *w, h11py_job *j) {
  if (w->ftail - w->fhead == w->fcap) {
    size_t nc = w->fcap ? w->fcap * 2 : 64, i, n = w->ftail - w->fhead;
    h11py_job **q = malloc(nc * sizeof *q);
    if (!q)
      return false;
    for (i = 0; i < n; i++)
      q[i] = w->fifo[(w->fhead + i) % w->fcap];
    free(w->fifo);
    w->fifo = q;
    w->fcap = nc;
    w->fhead = 0;
    w->ftail = n;
  }
  w->fifo[w->ftail++ % w->fcap] = j;
  return true;
}

static void handle_line(worker *w, const char *line, size_t len) {
  h11py_job *j;
  if (w->fhead == w->ftail)
    return; /* an answer nobody asked for */
  j = w->fifo[w->fhead++ % w->fcap];
  if (w->fhead == w->ftail)
    w->fhead = w->ftail = 0;
  if (len > 16 && memcmp(line, "{\"driver_error\"", 15) == 0) {
    jv e;
    verdict_init(&j->out, "h11py", j->params->role);
    j->rc = -1;
    if (jv_parse(line, len, &e, j->err, sizeof j->err) == 0) {
      const char *msg = jv_get_str(&e, "driver_error");
      snprintf(j->err, sizeof j->err, "%s", msg ? msg : "driver error");
      jv_free(&e);
    }
    return;
  }
  if (verdict_from_json(line, len, &j->out, j->err, sizeof j->err) != 0) {
    j->rc = -1;
    return;
  }
  snprintf(j->out.impl, sizeof j->out.impl, "h11py");
  j->rc = 0;
}

/* Writes and reads what can be done now.  Returns false if the worker
 * died. */
static bool worker_io(worker *w, bool can_write, bool can_read) {
  if (w->dead)
    return false;
  while (can_write && w->ooff < w->olen) {
    ssize_t n = write(w->to, w->obuf + w->ooff, w->olen - w->ooff);
    if (n > 0) {
      w->ooff += (size_t)n;
      continue;
    }
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
      break;
    worker_died(w);
    return false;
  }
  if (w->ooff == w->olen)
    w->ooff = w->olen = 0;
  while (can_read) {
    ssize_t n;
    size_t start;
    if (!buf_reserve(&w->ibuf, &w->icap, w->ilen + 65536)) {
      worker_died(w);
      return false;
    }
    n = read(w->from, w->ibuf + w->ilen, w->icap - w->ilen);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
      break;
    if (n <= 0) {
      worker_died(w);
      return false;
    }
    w->ilen += (size_t)n;
    start = 0;
    for (;;) {
      char *nl = memchr(w->ibuf + start, '\n', w->ilen - start);
      if (!nl)
        break;
      handle_line(w, w->ibuf + start, (size_t)(nl - (w->ibuf + start)));
      start = (size_t)(nl - w->ibuf) + 1;
    }
    if (start) {
      memmove(w->ibuf, w->ibuf + start, w->ilen - start);
      w->ilen -= start;
    }
  }
  return true;
}

int h11py_pool_submit(h11py_pool *pool, h11py_job *jobs, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) {
    h11py_job *j = &jobs[i];
    worker *w = &pool->w[pool->next++ % (size_t)pool->n];
    const char *method = j->params->method ? j->params->method : "GET";
    char head[128];
    int hl;
    j->rc = -1;
    j->err[0] = '\0';
    verdict_init(&j->out, "h11py", j->params->role);
    if (w->dead) {
      char err[256];
      if (worker_spawn(w, pool->python, err, sizeof err) != 0) {
        snprintf(j->err, sizeof j->err, "%s", err);
        continue;
      }
    }
    hl = snprintf(head, sizeof head, "%s %s %zu %zu %zu\n",
                  verdict_role_name(j->params->role), method, j->params->chunk,
                  j->params->max_incomplete, j->len);
    if (hl <= 0 || (size_t)hl >= sizeof head || strpbrk(method, " \t\r\n")) {
      snprintf(j->err, sizeof j->err, "h11py: bad method");
      continue;
    }
    if (!buf_reserve(&w->obuf, &w->ocap, w->olen + (size_t)hl + j->len) ||
        !fifo_push(w, j)) {
      snprintf(j->err, sizeof j->err, "out of memory");
      return -1;
    }
    memcpy(w->obuf + w->olen, head, (size_t)hl);
    w->olen += (size_t)hl;
    if (j->len)
      memcpy(w->obuf + w->olen, j->data, j->len);
    w->olen += j->len;
  }
  h11py_pool_pump(pool);
  return 0;
}

void h11py_pool_pump(h11py_pool *pool) {
  int i;
  for (i = 0; i < pool->n; i++)
    worker_io(&pool->w[i], true, true);
}

int h11py_pool_wait(h11py_pool *pool) {
  struct pollfd fds[64];
  int rc = 0;
  for (;;) {
    int i, nf = 0, r;
    int idx[64];
    for (i = 0; i < pool->n && nf < 64; i++) {
      worker *w = &pool->w[i];
      if (w->dead || w->fhead == w->ftail)
        continue;
      fds[nf].fd = w->from;
      fds[nf].events = POLLIN;
      fds[nf].revents = 0;
      idx[nf] = i;
      nf++;
      if (w->ooff < w->olen) {
        fds[nf].fd = w->to;
        fds[nf].events = POLLOUT;
        fds[nf].revents = 0;
        idx[nf] = i;
        nf++;
      }
    }
    if (nf == 0)
      return rc;
    r = poll(fds, (nfds_t)nf, WAIT_TIMEOUT_MS);
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0) {
      /* No answer for a long time: give up on these workers. */
      for (i = 0; i < nf; i++) {
        worker *w = &pool->w[idx[i]];
        if (!w->dead && w->pid > 0) {
          kill(w->pid, SIGKILL);
          worker_died(w);
        }
      }
      return -1;
    }
    for (i = 0; i < nf; i++) {
      worker *w = &pool->w[idx[i]];
      if (!fds[i].revents)
        continue;
      if (!worker_io(w, (fds[i].revents & (POLLOUT | POLLERR)) != 0,
                     (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) != 0))
        rc = -1;
    }
  }
}

static h11py_pool *global_pool;

static void stop_global_pool(void) {
  h11py_pool_stop(global_pool);
  global_pool = NULL;
}

int verdict_h11py(const verdict_params *params, const uint8_t *data, size_t len,
                  verdict *out, char *err, size_t errlen) {
  h11py_job job;
  if (!global_pool) {
    if (h11py_pool_start(&global_pool, 1, err, errlen) != 0) {
      verdict_init(out, "h11py", params->role);
      return -1;
    }
    atexit(stop_global_pool);
  }
  memset(&job, 0, sizeof job);
  job.params = params;
  job.data = data;
  job.len = len;
  if (h11py_pool_submit(global_pool, &job, 1) != 0) {
    *out = job.out;
    return verdict_errf(err, errlen, "%s", job.err);
  }
  h11py_pool_wait(global_pool);
  *out = job.out;
  if (job.rc != 0)
    return verdict_errf(err, errlen, "%s", job.err);
  return 0;
}
