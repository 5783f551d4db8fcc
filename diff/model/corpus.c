#define _POSIX_C_SOURCE 200809L
#include "diff/model/corpus.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

bool corpus_infer_role(const char *path, verdict_role *role, char *method,
                       size_t msize) {
  const char *base = strrchr(path, '/');
  const char *p;
  size_t blen;
  bool found = false;

  base = base ? base + 1 : path;
  p = base;
  while (p > path) {
    const char *seg_end = p - 1; /* the '/' before the current segment */
    const char *seg = seg_end;
    while (seg > path && seg[-1] != '/')
      seg--;
    if (seg_end - seg == 6 && memcmp(seg, "server", 6) == 0) {
      *role = VERDICT_SERVER;
      found = true;
      break;
    }
    if (seg_end - seg == 6 && memcmp(seg, "client", 6) == 0) {
      *role = VERDICT_CLIENT;
      found = true;
      break;
    }
    p = seg;
  }
  if (!found)
    return false;
  if (msize)
    method[0] = '\0';
  blen = strlen(base);
  if (*role == VERDICT_CLIENT && blen > 5 &&
      strcmp(base + blen - 5, ".http") == 0) {
    const char *stem_end = base + blen - 5;
    const char *dot = stem_end;
    while (dot > base && dot[-1] != '.')
      dot--;
    if (dot > base + 1 && dot < stem_end) {
      size_t mlen = (size_t)(stem_end - dot), i;
      bool upper = true;
      for (i = 0; i < mlen; i++)
        if (dot[i] < 'A' || dot[i] > 'Z')
          upper = false;
      if (upper && mlen < msize) {
        memcpy(method, dot, mlen);
        method[mlen] = '\0';
      }
    }
  }
  return true;
}

int corpus_read_file(const char *path, uint8_t **pdata, size_t *plen) {
  FILE *f = fopen(path, "rb");
  uint8_t *buf = NULL;
  size_t len = 0, cap = 0;
  if (!f)
    return -1;
  for (;;) {
    size_t n;
    if (len == cap) {
      size_t ncap = cap ? cap * 2 : 4096;
      uint8_t *q = realloc(buf, ncap);
      if (!q) {
        free(buf);
        fclose(f);
        errno = ENOMEM;
        return -1;
      }
      buf = q;
      cap = ncap;
    }
    n = fread(buf + len, 1, cap - len, f);
    len += n;
    if (n == 0)
      break;
  }
  if (ferror(f)) {
    free(buf);
    fclose(f);
    errno = EIO;
    return -1;
  }
  fclose(f);
  *pdata = buf;
  *plen = len;
  return 0;
}

int corpus_add(corpus *c, const char *path, verdict_role role,
               const char *method, const uint8_t *data, size_t len) {
  corpus_input *in;
  if (c->n == c->cap) {
    size_t nc = c->cap ? c->cap * 2 : 64;
    corpus_input *q = realloc(c->items, nc * sizeof *q);
    if (!q)
      return -1;
    c->items = q;
    c->cap = nc;
  }
  in = &c->items[c->n];
  memset(in, 0, sizeof *in);
  in->path = strdup(path);
  in->data = malloc(len ? len : 1);
  if (!in->path || !in->data) {
    free(in->path);
    free(in->data);
    return -1;
  }
  if (len)
    memcpy(in->data, data, len);
  in->len = len;
  in->role = role;
  if (method && strcmp(method, "GET") != 0)
    snprintf(in->method, sizeof in->method, "%s", method);
  c->n++;
  return 0;
}

void corpus_free(corpus *c) {
  size_t i;
  for (i = 0; i < c->n; i++) {
    free(c->items[i].path);
    free(c->items[i].data);
  }
  free(c->items);
  memset(c, 0, sizeof *c);
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collects the *.http files under dir (recursively) into a list. */
static int walk(const char *dir, char ***list, size_t *n, size_t *cap) {
  DIR *d = opendir(dir);
  struct dirent *e;
  if (!d)
    return -1;
  while ((e = readdir(d)) != NULL) {
    char *full;
    size_t len;
    struct stat st;
    if (e->d_name[0] == '.')
      continue;
    len = strlen(dir) + strlen(e->d_name) + 2;
    full = malloc(len);
    if (!full) {
      closedir(d);
      return -1;
    }
    snprintf(full, len, "%s/%s", dir, e->d_name);
    if (stat(full, &st) != 0) {
      free(full);
      continue;
    }
    if (S_ISDIR(st.st_mode)) {
      int rc = walk(full, list, n, cap);
      free(full);
      if (rc != 0) {
        closedir(d);
        return -1;
      }
      continue;
    }
    if (!S_ISREG(st.st_mode) || strlen(e->d_name) < 6 ||
        strcmp(e->d_name + strlen(e->d_name) - 5, ".http") != 0) {
      free(full);
      continue;
    }
    if (*n == *cap) {
      size_t nc = *cap ? *cap * 2 : 256;
      char **q = realloc(*list, nc * sizeof *q);
      if (!q) {
        free(full);
        closedir(d);
        return -1;
      }
      *list = q;
      *cap = nc;
    }
    (*list)[(*n)++] = full;
  }
  closedir(d);
  return 0;
}

static int add_file(corpus *c, const char *path,
                    const verdict_role *role_override, bool from_walk,
                    char *err, size_t errlen) {
  verdict_role role;
  char method[CORPUS_METHOD_MAX];
  uint8_t *data;
  size_t len;
  bool known = corpus_infer_role(path, &role, method, sizeof method);
  int rc = 0;
  if (!known && from_walk)
    return 0; /* not in the layout */
  if (corpus_read_file(path, &data, &len) != 0)
    return verdict_errf(err, errlen, "%s: %s", path, strerror(errno));
  if (known) {
    rc = corpus_add(c, path, role, method, data, len);
  } else if (role_override) {
    rc = corpus_add(c, path, *role_override, NULL, data, len);
  } else {
    rc = corpus_add(c, path, VERDICT_SERVER, NULL, data, len);
    if (rc == 0)
      rc = corpus_add(c, path, VERDICT_CLIENT, NULL, data, len);
  }
  free(data);
  if (rc != 0)
    return verdict_errf(err, errlen, "out of memory");
  return 0;
}

int corpus_add_path(corpus *c, const char *path,
                    const verdict_role *role_override, char *err,
                    size_t errlen) {
  struct stat st;
  if (stat(path, &st) != 0)
    return verdict_errf(err, errlen, "%s: %s", path, strerror(errno));
  if (S_ISDIR(st.st_mode)) {
    char **list = NULL;
    size_t n = 0, cap = 0, i;
    int rc = 0;
    if (walk(path, &list, &n, &cap) != 0) {
      for (i = 0; i < n; i++)
        free(list[i]);
      free(list);
      return verdict_errf(err, errlen, "%s: cannot read the directory", path);
    }
    qsort(list, n, sizeof *list, cmp_str);
    for (i = 0; i < n; i++) {
      if (rc == 0)
        rc = add_file(c, list[i], role_override, true, err, errlen);
      free(list[i]);
    }
    free(list);
    return rc;
  }
  return add_file(c, path, role_override, false, err, errlen);
}

int corpus_mkdir_p(const char *path) {
  char tmp[4096];
  size_t i, n = strlen(path);
  if (n == 0 || n >= sizeof tmp)
    return -1;
  memcpy(tmp, path, n + 1);
  for (i = 1; i <= n; i++) {
    if (tmp[i] == '/' || tmp[i] == '\0') {
      char ch = tmp[i];
      tmp[i] = '\0';
      if (mkdir(tmp, 0777) != 0 && errno != EEXIST)
        return -1;
      tmp[i] = ch;
    }
  }
  return 0;
}
