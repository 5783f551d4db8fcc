/*
 * Inputs of the differential tools, in the corpus layout of
 * diff/model/FORMAT.md: server/NAME.http is a server-role input,
 * client/NAME.METHOD.http a client-role input answering a METHOD request
 * (client/NAME.http: GET), with the server/ or client/ folder at any depth.
 */
#ifndef H11C_DIFF_CORPUS_H
#define H11C_DIFF_CORPUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diff/model/verdict.h"

#define CORPUS_METHOD_MAX 32

typedef struct corpus_input {
  char *path; /* as found (or a made-up name) */
  verdict_role role;
  char method[CORPUS_METHOD_MAX]; /* client role; "" means GET */
  uint8_t *data;
  size_t len;
} corpus_input;

typedef struct corpus {
  corpus_input *items;
  size_t n, cap;
} corpus;

/* Role and method from a path: the nearest parent directory named server
 * or client decides the role; a client file NAME.METHOD.http (METHOD in
 * upper case) gives the method.  Returns false if the path names neither
 * folder.  method receives "" for GET. */
bool corpus_infer_role(const char *path, verdict_role *role, char *method,
                       size_t msize);

/* Adds PATH: a directory is walked for *.http files under server/ or
 * client/ folders (sorted by path; names starting with '.' are skipped); a
 * file is added with the role its path names, else with *role_override
 * when given, else once per role (client: GET).  Returns 0, or -1 with a
 * message in err. */
int corpus_add_path(corpus *c, const char *path,
                    const verdict_role *role_override, char *err,
                    size_t errlen);
/* Adds bytes (copied) under a name. */
int corpus_add(corpus *c, const char *path, verdict_role role,
               const char *method, const uint8_t *data, size_t len);
void corpus_free(corpus *c);

/* mkdir -p; 0 or -1. */
int corpus_mkdir_p(const char *path);

/* Reads a whole file into a malloc'd buffer. */
int corpus_read_file(const char *path, uint8_t **data, size_t *len);

#endif /* H11C_DIFF_CORPUS_H */
