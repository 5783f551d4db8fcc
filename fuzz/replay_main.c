/*
 * Reproducer: runs a fuzz target's LLVMFuzzerTestOneInput on files, with no
 * fuzzing engine.  Used by the regression tests (//fuzz:*_replay), by the
 * coverage command and by hand:
 *
 *   fuzz_server_repro [--no-fork] [--timeout=SECONDS] [-v] FILE|DIR...
 *
 * Directories are read recursively (files whose names start with '.' are
 * skipped).  Each file is one case, run in a child process so that an
 * abort, a sanitizer report or a hang (default limit 60 s) fails that case
 * and the others still run.  The last line is "N passed, N failed"; the
 * exit status is 0 only if no case failed and at least one ran.
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int use_fork = 1;
static int verbose = 0;
static unsigned timeout_s = 60;
static unsigned long passed, failed;

static int read_file(const char *path, uint8_t **pdata, size_t *psize) {
  FILE *f = fopen(path, "rb");
  uint8_t *data = NULL;
  size_t size = 0, cap = 0, n;
  if (!f)
    return -1;
  for (;;) {
    if (size == cap) {
      uint8_t *nd;
      cap = cap ? cap * 2 : 4096;
      nd = realloc(data, cap);
      if (!nd) {
        free(data);
        fclose(f);
        return -1;
      }
      data = nd;
    }
    n = fread(data + size, 1, cap - size, f);
    size += n;
    if (n == 0)
      break;
  }
  if (ferror(f)) {
    free(data);
    fclose(f);
    return -1;
  }
  fclose(f);
  *pdata = data;
  *psize = size;
  return 0;
}

static void run_one(const char *path) {
  uint8_t *data;
  size_t size;
  int status = 0;
  if (read_file(path, &data, &size) != 0) {
    printf("FAIL %s: cannot read: %s\n", path, strerror(errno));
    failed++;
    return;
  }
  if (!use_fork) {
    LLVMFuzzerTestOneInput(data, size);
  } else {
    pid_t pid;
    fflush(stdout);
    fflush(stderr);
    pid = fork();
    if (pid < 0) {
      printf("FAIL %s: fork: %s\n", path, strerror(errno));
      failed++;
      free(data);
      return;
    }
    if (pid == 0) {
      alarm(timeout_s);
      LLVMFuzzerTestOneInput(data, size);
      exit(0);
    }
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
      ;
  }
  free(data);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
    passed++;
    if (verbose)
      printf("ok   %s (%zu bytes)\n", path, size);
  } else {
    failed++;
    if (WIFSIGNALED(status))
      printf("FAIL %s: %s\n", path,
             WTERMSIG(status) == SIGALRM ? "timed out"
                                         : strsignal(WTERMSIG(status)));
    else
      printf("FAIL %s: exit status %d\n", path, WEXITSTATUS(status));
  }
  fflush(stdout);
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void run_path(const char *path) {
  struct stat st;
  if (stat(path, &st) != 0) {
    printf("FAIL %s: %s\n", path, strerror(errno));
    failed++;
    return;
  }
  if (S_ISDIR(st.st_mode)) {
    DIR *d = opendir(path);
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, cap = 0, i;
    if (!d) {
      printf("FAIL %s: %s\n", path, strerror(errno));
      failed++;
      return;
    }
    while ((e = readdir(d)) != NULL) {
      size_t len;
      char *full;
      if (e->d_name[0] == '.')
        continue;
      len = strlen(path) + strlen(e->d_name) + 2;
      full = malloc(len);
      if (!full)
        abort();
      snprintf(full, len, "%s/%s", path, e->d_name);
      if (n == cap) {
        cap = cap ? cap * 2 : 64;
        names = realloc(names, cap * sizeof *names);
        if (!names)
          abort();
      }
      names[n++] = full;
    }
    closedir(d);
    /* A stable order makes logs comparable between runs. */
    if (n)
      qsort(names, n, sizeof *names, cmp_str);
    for (i = 0; i < n; i++) {
      run_path(names[i]);
      free(names[i]);
    }
    free(names);
  } else {
    run_one(path);
  }
}

int main(int argc, char **argv) {
  int i, npaths = 0;
  for (i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--no-fork") == 0)
      use_fork = 0;
    else if (strcmp(argv[i], "-v") == 0)
      verbose = 1;
    else if (strncmp(argv[i], "--timeout=", 10) == 0)
      timeout_s = (unsigned)strtoul(argv[i] + 10, NULL, 10);
    else if (argv[i][0] == '-' && argv[i][1] == '-') {
      fprintf(stderr, "usage: %s [--no-fork] [--timeout=S] [-v] FILE|DIR...\n",
              argv[0]);
      return 2;
    }
  }
  for (i = 1; i < argc; i++) {
    if (argv[i][0] == '-' && (argv[i][1] == '-' || strcmp(argv[i], "-v") == 0))
      continue;
    npaths++;
    run_path(argv[i]);
  }
  if (npaths == 0 || passed + failed == 0) {
    printf("no inputs given or found\n");
    failed++;
  }
  printf("%lu passed, %lu failed\n", passed, failed);
  return failed ? 1 : 0;
}
