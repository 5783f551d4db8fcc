/*
 * h11c._core: h11's public API on the h11c C library.
 *
 * Everything h11 has as Python classes is a C type here: the sentinels
 * (each its own class, of the metaclass Sentinel), the exceptions, the
 * events and their Headers, and Connection around an h11c_conn.  The
 * types are heap types of the module (module state, no static objects);
 * the package's __init__.py re-exports them under h11's names.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

#include "h11c.h"

#include <string.h>

/* ---- module state ---- */

enum { K_REQUEST, K_INFO, K_RESPONSE, K_DATA, K_EOM, K_CLOSED, K__COUNT };

#define NSTATES 9

typedef struct {
  PyTypeObject *Headers, *Event, *ev[K__COUNT], *Connection, *Sentinel;
  PyObject *ProtocolError, *LocalProtocolError, *RemoteProtocolError;
  PyObject *roles[2];
  PyObject *states[NSTATES];
  PyObject *NEED_DATA, *PAUSED;
  PyObject *v11, *v10, *empty_headers;
  /* Interned keyword names. */
  PyObject *s_method, *s_headers, *s_target, *s_http_version, *s_parsed,
      *s_status_code, *s_reason, *s_data, *s_chunk_start, *s_chunk_end;
} modstate;

static struct PyModuleDef core_module;

static modstate *state_of_type(PyTypeObject *t) {
  PyObject *m = PyType_GetModuleByDef(t, &core_module);
  return m ? (modstate *)PyModule_GetState(m) : NULL;
}

/* ---- errors ---- */

/* Raises exc_type(msg, hint). */
static void raise_protocol(PyObject *exc_type, PyObject *msg, int hint) {
  PyObject *exc;
  if (!msg)
    return;
  exc = PyObject_CallFunction(exc_type, "Oi", msg, hint);
  Py_DECREF(msg);
  if (exc) {
    PyErr_SetObject(exc_type, exc);
    Py_DECREF(exc);
  }
}

static void raise_local(modstate *st, const char *msg, int hint) {
  raise_protocol(st->LocalProtocolError, PyUnicode_FromString(msg), hint);
}

static int protocol_error_init(PyObject *self, PyObject *args, PyObject *kwds) {
  static char *kwlist[] = {(char *)"msg", (char *)"error_status_hint", NULL};
  PyObject *msg, *hint = NULL, *one;
  modstate *st = state_of_type(Py_TYPE(self));
  int rv;
  if (!st)
    return -1;
  if ((PyObject *)Py_TYPE(self) == st->ProtocolError) {
    PyErr_SetString(PyExc_TypeError,
                    "tried to directly instantiate ProtocolError");
    return -1;
  }
  if (!PyArg_ParseTupleAndKeywords(args, kwds, "O|O:ProtocolError", kwlist,
                                   &msg, &hint))
    return -1;
  one = PyTuple_Pack(1, msg);
  if (!one)
    return -1;
  rv = ((PyTypeObject *)PyExc_Exception)->tp_init(self, one, NULL);
  Py_DECREF(one);
  if (rv < 0)
    return -1;
  if (hint)
    return PyObject_SetAttrString(self, "error_status_hint", hint);
  hint = PyLong_FromLong(400);
  if (!hint)
    return -1;
  rv = PyObject_SetAttrString(self, "error_status_hint", hint);
  Py_DECREF(hint);
  return rv;
}

static PyObject *reraise_as_remote(PyObject *self, PyTypeObject *cls,
                                   PyObject *const *args, Py_ssize_t nargs,
                                   PyObject *kwnames) {
  modstate *st = (modstate *)PyType_GetModuleState(cls);
  (void)args;
  if (nargs || kwnames) {
    PyErr_SetString(PyExc_TypeError, "takes no arguments");
    return NULL;
  }
  if (PyObject_SetAttrString(self, "__class__", st->RemoteProtocolError) < 0)
    return NULL;
  PyErr_SetObject(st->RemoteProtocolError, self);
  return NULL;
}

static PyMethodDef local_error_methods[] = {
    {"_reraise_as_remote_protocol_error",
     (PyCFunction)(void (*)(void))reraise_as_remote,
     METH_METHOD | METH_FASTCALL | METH_KEYWORDS,
     "Re-raise this error as a RemoteProtocolError."},
    {NULL, NULL, 0, NULL}};

static PyType_Slot protocol_error_slots[] = {
    {Py_tp_init, (void *)protocol_error_init},
    {Py_tp_doc, (void *)"A violation of the HTTP/1.1 protocol; "
                        "error_status_hint suggests a status to answer with."},
    {0, NULL}};
static PyType_Slot local_error_slots[] = {{Py_tp_methods, local_error_methods},
                                          {0, NULL}};
static PyType_Slot remote_error_slots[] = {{0, NULL}};

static PyType_Spec protocol_error_spec = {
    "h11c.ProtocolError", sizeof(PyBaseExceptionObject), 0,
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, protocol_error_slots};
static PyType_Spec local_error_spec = {
    "h11c.LocalProtocolError", sizeof(PyBaseExceptionObject), 0,
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, local_error_slots};
static PyType_Spec remote_error_spec = {
    "h11c.RemoteProtocolError", sizeof(PyBaseExceptionObject), 0,
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, remote_error_slots};

/* ---- sentinels ---- */

static PyObject *sentinel_repr(PyObject *self) {
  return PyObject_GetAttrString(self, "__name__");
}

static PyType_Slot sentinel_slots[] = {{Py_tp_repr, (void *)sentinel_repr},
                                       {0, NULL}};
static PyType_Spec sentinel_spec = {"h11c.Sentinel", 0, 0,
                                    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
                                    sentinel_slots};

/* A class NAME of metaclass Sentinel whose class is itself, as h11's. */
static PyObject *make_sentinel(modstate *st, const char *name,
                               PyObject *modname) {
  PyObject *ns = Py_BuildValue("{sO}", "__module__", modname), *v;
  if (!ns)
    return NULL;
  v = PyObject_CallFunction((PyObject *)st->Sentinel, "s(O)O", name,
                            (PyObject *)st->Sentinel, ns);
  Py_DECREF(ns);
  if (v && PyObject_SetAttrString(v, "__class__", v) < 0)
    Py_CLEAR(v);
  return v;
}

/* ---- bytes conversion (h11's bytesify) ---- */

static PyObject *bytesify(PyObject *s) {
  if (PyBytes_CheckExact(s))
    return Py_NewRef(s);
  if (PyUnicode_Check(s)) {
    if (PyUnicode_IS_ASCII(s))
      return PyBytes_FromStringAndSize((const char *)PyUnicode_DATA(s),
                                       PyUnicode_GET_LENGTH(s));
    return PyUnicode_AsASCIIString(s);
  }
  if (PyLong_Check(s)) {
    PyErr_SetString(PyExc_TypeError, "expected bytes-like object, not int");
    return NULL;
  }
  return PyBytes_FromObject(s);
}

static h11c_slice slice_of(PyObject *b) {
  h11c_slice s;
  s.base = (const uint8_t *)PyBytes_AS_STRING(b);
  s.len = (size_t)PyBytes_GET_SIZE(b);
  return s;
}

static PyObject *bytes_of(h11c_slice s) {
  return PyBytes_FromStringAndSize((const char *)s.base, (Py_ssize_t)s.len);
}

/* The lower-cased copy of a bytes object (the same object if it is). */
static PyObject *lowered(PyObject *b) {
  const char *p = PyBytes_AS_STRING(b);
  Py_ssize_t i, n = PyBytes_GET_SIZE(b);
  PyObject *out;
  char *q;
  for (i = 0; i < n; i++)
    if (Py_ISUPPER(p[i]))
      break;
  if (i == n)
    return Py_NewRef(b);
  out = PyBytes_FromStringAndSize(NULL, n);
  if (!out)
    return NULL;
  q = PyBytes_AS_STRING(out);
  for (i = 0; i < n; i++)
    q[i] = (char)Py_TOLOWER(p[i]);
  return out;
}

/* ---- Headers ---- */

/* it[3i] raw name, it[3i+1] lower-cased name, it[3i+2] value: bytes. */
typedef struct {
  PyObject_VAR_HEAD PyObject *it[1];
} HeadersObject;

#define HDR_N(h) Py_SIZE(h)

static HeadersObject *headers_alloc(modstate *st, Py_ssize_t n) {
  HeadersObject *h = PyObject_NewVar(HeadersObject, st->Headers, n);
  if (h)
    memset(h->it, 0, sizeof(PyObject *) * 3 * (size_t)n);
  return h;
}

static void headers_dealloc(HeadersObject *h) {
  PyTypeObject *t = Py_TYPE(h);
  Py_ssize_t i;
  for (i = 0; i < 3 * HDR_N(h); i++)
    Py_XDECREF(h->it[i]);
  t->tp_free((PyObject *)h);
  Py_DECREF(t);
}

static Py_ssize_t headers_len(HeadersObject *h) { return HDR_N(h); }

static PyObject *headers_item(HeadersObject *h, Py_ssize_t i) {
  if (i < 0 || i >= HDR_N(h)) {
    PyErr_SetString(PyExc_IndexError, "Headers index out of range");
    return NULL;
  }
  return PyTuple_Pack(2, h->it[3 * i + 1], h->it[3 * i + 2]);
}

static PyObject *headers_pairs(HeadersObject *h, int raw) {
  Py_ssize_t i, n = HDR_N(h);
  PyObject *list = PyList_New(n);
  if (!list)
    return NULL;
  for (i = 0; i < n; i++) {
    PyObject *t =
        PyTuple_Pack(2, h->it[3 * i + (raw ? 0 : 1)], h->it[3 * i + 2]);
    if (!t) {
      Py_DECREF(list);
      return NULL;
    }
    PyList_SET_ITEM(list, i, t);
  }
  return list;
}

static PyObject *headers_subscript(HeadersObject *h, PyObject *key) {
  if (PySlice_Check(key)) {
    PyObject *list = headers_pairs(h, 0), *out;
    if (!list)
      return NULL;
    out = PyObject_GetItem(list, key);
    Py_DECREF(list);
    return out;
  }
  {
    Py_ssize_t i = PyNumber_AsSsize_t(key, PyExc_IndexError);
    if (i == -1 && PyErr_Occurred())
      return NULL;
    if (i < 0)
      i += HDR_N(h);
    return headers_item(h, i);
  }
}

static PyObject *headers_raw_items(HeadersObject *h, PyObject *unused) {
  (void)unused;
  return headers_pairs(h, 1);
}

static PyObject *headers_full_items(HeadersObject *h, void *unused) {
  Py_ssize_t i, n = HDR_N(h);
  PyObject *list = PyList_New(n);
  (void)unused;
  if (!list)
    return NULL;
  for (i = 0; i < n; i++) {
    PyObject *t =
        PyTuple_Pack(3, h->it[3 * i], h->it[3 * i + 1], h->it[3 * i + 2]);
    if (!t) {
      Py_DECREF(list);
      return NULL;
    }
    PyList_SET_ITEM(list, i, t);
  }
  return list;
}

static PyObject *headers_repr(HeadersObject *h) {
  PyObject *list = headers_pairs(h, 0), *out;
  if (!list)
    return NULL;
  out = PyUnicode_FromFormat("<Headers(%R)>", list);
  Py_DECREF(list);
  return out;
}

static PyObject *headers_richcompare(PyObject *a, PyObject *b, int op) {
  PyObject *la, *lb, *out;
  modstate *st;
  if (op != Py_EQ && op != Py_NE)
    Py_RETURN_NOTIMPLEMENTED;
  st = state_of_type(Py_TYPE(a));
  if (!st)
    return NULL;
  if (!PyObject_TypeCheck(a, st->Headers)) {
    PyObject *t = a;
    a = b;
    b = t;
  }
  if (Py_TYPE(b) == st->Headers) {
    HeadersObject *x = (HeadersObject *)a, *y = (HeadersObject *)b;
    Py_ssize_t i;
    int eq = HDR_N(x) == HDR_N(y);
    for (i = 0; eq && i < HDR_N(x); i++) {
      int r1 =
          PyObject_RichCompareBool(x->it[3 * i + 1], y->it[3 * i + 1], Py_EQ);
      int r2 = r1 > 0 ? PyObject_RichCompareBool(x->it[3 * i + 2],
                                                 y->it[3 * i + 2], Py_EQ)
                      : r1;
      if (r2 < 0)
        return NULL;
      eq = r2;
    }
    return PyBool_FromLong(op == Py_EQ ? eq : !eq);
  }
  la = headers_pairs((HeadersObject *)a, 0);
  if (!la)
    return NULL;
  lb = PySequence_List(b);
  if (!lb) {
    Py_DECREF(la);
    if (!PyErr_ExceptionMatches(PyExc_TypeError))
      return NULL;
    PyErr_Clear();
    return PyBool_FromLong(op == Py_NE);
  }
  out = PyObject_RichCompare(la, lb, op);
  Py_DECREF(la);
  Py_DECREF(lb);
  return out;
}

static int headers_contains(HeadersObject *h, PyObject *v) {
  Py_ssize_t i;
  for (i = 0; i < HDR_N(h); i++) {
    PyObject *t = headers_item(h, i);
    int r;
    if (!t)
      return -1;
    r = PyObject_RichCompareBool(t, v, Py_EQ);
    Py_DECREF(t);
    if (r)
      return r;
  }
  return 0;
}

static PyObject *headers_index(HeadersObject *h, PyObject *v) {
  Py_ssize_t i;
  for (i = 0; i < HDR_N(h); i++) {
    PyObject *t = headers_item(h, i);
    int r;
    if (!t)
      return NULL;
    r = PyObject_RichCompareBool(t, v, Py_EQ);
    Py_DECREF(t);
    if (r < 0)
      return NULL;
    if (r)
      return PyLong_FromSsize_t(i);
  }
  PyErr_SetString(PyExc_ValueError, "not in Headers");
  return NULL;
}

static PyObject *headers_count(HeadersObject *h, PyObject *v) {
  Py_ssize_t i, n = 0;
  for (i = 0; i < HDR_N(h); i++) {
    PyObject *t = headers_item(h, i);
    int r;
    if (!t)
      return NULL;
    r = PyObject_RichCompareBool(t, v, Py_EQ);
    Py_DECREF(t);
    if (r < 0)
      return NULL;
    n += r;
  }
  return PyLong_FromSsize_t(n);
}

/* Headers(full_items): a sequence of (raw_name, name, value) bytes. */
static PyObject *headers_new(PyTypeObject *type, PyObject *args,
                             PyObject *kwds) {
  static char *kwlist[] = {(char *)"full_items", NULL};
  PyObject *items, *seq;
  HeadersObject *h;
  Py_ssize_t i, n;
  modstate *st = state_of_type(type);
  if (!st ||
      !PyArg_ParseTupleAndKeywords(args, kwds, "O:Headers", kwlist, &items))
    return NULL;
  seq = PySequence_Fast(items, "Headers() takes a list of 3-tuples");
  if (!seq)
    return NULL;
  n = PySequence_Fast_GET_SIZE(seq);
  h = headers_alloc(st, n);
  if (!h) {
    Py_DECREF(seq);
    return NULL;
  }
  for (i = 0; i < n; i++) {
    PyObject *t = PySequence_Fast_GET_ITEM(seq, i);
    int k;
    if (!PyTuple_Check(t) || PyTuple_GET_SIZE(t) != 3) {
      PyErr_SetString(PyExc_TypeError,
                      "Headers items are (raw_name, name, value) tuples");
      goto fail;
    }
    for (k = 0; k < 3; k++) {
      PyObject *b = PyTuple_GET_ITEM(t, k);
      if (!PyBytes_Check(b)) {
        PyErr_SetString(PyExc_TypeError, "Headers items are bytes");
        goto fail;
      }
      h->it[3 * i + k] = Py_NewRef(b);
    }
  }
  Py_DECREF(seq);
  return (PyObject *)h;
fail:
  Py_DECREF(seq);
  Py_DECREF(h);
  return NULL;
}

static PyMethodDef headers_methods[] = {
    {"raw_items", (PyCFunction)headers_raw_items, METH_NOARGS,
     "The (name, value) pairs with the names as given."},
    {"index", (PyCFunction)headers_index, METH_O, NULL},
    {"count", (PyCFunction)headers_count, METH_O, NULL},
    {NULL, NULL, 0, NULL}};

static PyGetSetDef headers_getset[] = {
    {"_full_items", (getter)headers_full_items, NULL, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL}};

static PyType_Slot headers_slots[] = {
    {Py_tp_dealloc, (void *)headers_dealloc},
    {Py_tp_repr, (void *)headers_repr},
    {Py_tp_richcompare, (void *)headers_richcompare},
    {Py_tp_hash, (void *)PyObject_HashNotImplemented},
    {Py_tp_methods, headers_methods},
    {Py_tp_getset, headers_getset},
    {Py_tp_new, (void *)headers_new},
    {Py_sq_length, (void *)headers_len},
    {Py_sq_item, (void *)headers_item},
    {Py_sq_contains, (void *)headers_contains},
    {Py_mp_length, (void *)headers_len},
    {Py_mp_subscript, (void *)headers_subscript},
    {Py_tp_doc, (void *)"A sequence of (lower-cased name, value) pairs; "
                        "raw_items() keeps the names' casing."},
    {0, NULL}};

static PyType_Spec headers_spec = {
    "h11c.Headers", offsetof(HeadersObject, it), 3 * sizeof(PyObject *),
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_SEQUENCE, headers_slots};

/* ---- events ---- */

typedef struct {
  PyObject_HEAD int kind;
  PyObject *f[4];
} EventObject;

/* Field order is h11's dataclass field order (repr, ==). */
enum { REQ_METHOD, REQ_HEADERS, REQ_TARGET, REQ_VERSION };
enum { RESP_HEADERS, RESP_VERSION, RESP_REASON, RESP_STATUS };
enum { DATA_DATA, DATA_START, DATA_END };
enum { EOM_HEADERS };

static const char *const FIELD_NAMES[K__COUNT][4] = {
    {"method", "headers", "target", "http_version"},
    {"headers", "http_version", "reason", "status_code"},
    {"headers", "http_version", "reason", "status_code"},
    {"data", "chunk_start", "chunk_end", NULL},
    {"headers", NULL, NULL, NULL},
    {NULL, NULL, NULL, NULL}};
static const int NFIELDS[K__COUNT] = {4, 4, 4, 3, 1, 0};
static const char *const KIND_NAMES[K__COUNT] = {
    "Request", "InformationalResponse", "Response",
    "Data",    "EndOfMessage",          "ConnectionClosed"};

/* A new event of kind k; takes the references in f. */
static PyObject *event_new(modstate *st, int k, PyObject *f0, PyObject *f1,
                           PyObject *f2, PyObject *f3) {
  EventObject *e = PyObject_GC_New(EventObject, st->ev[k]);
  if (!e) {
    Py_XDECREF(f0);
    Py_XDECREF(f1);
    Py_XDECREF(f2);
    Py_XDECREF(f3);
    return NULL;
  }
  e->kind = k;
  e->f[0] = f0;
  e->f[1] = f1;
  e->f[2] = f2;
  e->f[3] = f3;
  PyObject_GC_Track(e);
  return (PyObject *)e;
}

static int event_traverse(EventObject *e, visitproc visit, void *arg) {
  int i;
  Py_VISIT(Py_TYPE(e));
  for (i = 0; i < 4; i++)
    Py_VISIT(e->f[i]);
  return 0;
}

static int event_clear(EventObject *e) {
  int i;
  for (i = 0; i < 4; i++)
    Py_CLEAR(e->f[i]);
  return 0;
}

static void event_dealloc(EventObject *e) {
  PyTypeObject *t = Py_TYPE(e);
  PyObject_GC_UnTrack(e);
  event_clear(e);
  t->tp_free((PyObject *)e);
  Py_DECREF(t);
}

static PyObject *event_repr(EventObject *e) {
  PyObject *parts = PyList_New(0), *sep, *joined, *out = NULL;
  int i;
  if (!parts)
    return NULL;
  for (i = 0; i < NFIELDS[e->kind]; i++) {
    PyObject *p =
        PyUnicode_FromFormat("%s=%R", FIELD_NAMES[e->kind][i], e->f[i]);
    if (!p || PyList_Append(parts, p) < 0) {
      Py_XDECREF(p);
      Py_DECREF(parts);
      return NULL;
    }
    Py_DECREF(p);
  }
  sep = PyUnicode_FromString(", ");
  joined = sep ? PyUnicode_Join(sep, parts) : NULL;
  if (joined)
    out = PyUnicode_FromFormat("%s(%U)", KIND_NAMES[e->kind], joined);
  Py_XDECREF(sep);
  Py_XDECREF(joined);
  Py_DECREF(parts);
  return out;
}

static PyObject *event_richcompare(PyObject *a, PyObject *b, int op) {
  EventObject *x = (EventObject *)a, *y = (EventObject *)b;
  int i, eq = 1;
  if ((op != Py_EQ && op != Py_NE) || Py_TYPE(a) != Py_TYPE(b))
    Py_RETURN_NOTIMPLEMENTED;
  for (i = 0; eq && i < NFIELDS[x->kind]; i++) {
    int r = x->f[i] == y->f[i]
                ? 1
                : PyObject_RichCompareBool(x->f[i], y->f[i], Py_EQ);
    if (r < 0)
      return NULL;
    eq = r;
  }
  return PyBool_FromLong(op == Py_EQ ? eq : !eq);
}

static Py_hash_t closed_hash(PyObject *self) {
  (void)self;
  return 0x5eed;
}

/* Keyword arguments: vals[i] receives the argument named names[i] (or
 * stays NULL); at most npos positional ones. */
static int parse_args(const char *fname, PyObject *const *args, size_t nargsf,
                      PyObject *kwnames, PyObject *const *names, int nnames,
                      int npos, PyObject **vals) {
  Py_ssize_t nargs = PyVectorcall_NARGS(nargsf), i, nkw;
  int k;
  for (k = 0; k < nnames; k++)
    vals[k] = NULL;
  if (nargs > npos) {
    PyErr_Format(PyExc_TypeError,
                 "%s.__init__() takes %d positional argument%s but %zd were "
                 "given",
                 fname, npos + 1, npos ? "s" : "", nargs + 1);
    return -1;
  }
  for (i = 0; i < nargs; i++)
    vals[i] = args[i];
  nkw = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
  for (i = 0; i < nkw; i++) {
    PyObject *kw = PyTuple_GET_ITEM(kwnames, i);
    for (k = 0; k < nnames; k++)
      if (kw == names[k])
        break;
    if (k == nnames)
      for (k = 0; k < nnames; k++)
        if (PyUnicode_Compare(kw, names[k]) == 0)
          break;
    if (k == nnames) {
      PyErr_Format(PyExc_TypeError,
                   "%s.__init__() got an unexpected keyword argument '%U'",
                   fname, kw);
      return -1;
    }
    if (vals[k]) {
      PyErr_Format(PyExc_TypeError,
                   "%s.__init__() got multiple values for argument '%U'", fname,
                   kw);
      return -1;
    }
    vals[k] = args[nargs + i];
  }
  return 0;
}

static int missing(const char *fname, const char *arg) {
  PyErr_Format(PyExc_TypeError,
               "%s.__init__() missing 1 required keyword-only argument: '%s'",
               fname, arg);
  return -1;
}

/* Up to this many fields are converted on the stack. */
#define STACK_FIELDS 32

/* Field objects being converted: raw names, lower-cased names, values. */
typedef struct {
  PyObject **obj; /* 3 per field */
  h11c_header *in, *out;
  Py_ssize_t n;
  PyObject *stack_obj[3 * STACK_FIELDS];
  h11c_header stack_in[STACK_FIELDS], stack_out[STACK_FIELDS];
} fieldbuf;

static void fieldbuf_free(fieldbuf *fb) {
  Py_ssize_t i;
  if (fb->obj)
    for (i = 0; i < 3 * fb->n; i++)
      Py_XDECREF(fb->obj[i]);
  if (fb->obj != fb->stack_obj) {
    PyMem_Free(fb->obj);
    PyMem_Free(fb->in);
    PyMem_Free(fb->out);
  }
}

static int fieldbuf_init(fieldbuf *fb, Py_ssize_t n) {
  fb->n = 0;
  if (n <= STACK_FIELDS) {
    fb->obj = fb->stack_obj;
    fb->in = fb->stack_in;
    fb->out = fb->stack_out;
  } else {
    fb->obj = PyMem_Calloc((size_t)n * 3, sizeof(PyObject *));
    fb->in = PyMem_Calloc((size_t)n, sizeof(h11c_header));
    fb->out = PyMem_Calloc((size_t)n, sizeof(h11c_header));
    if (!fb->obj || !fb->in || !fb->out) {
      PyMem_Free(fb->obj);
      PyMem_Free(fb->in);
      PyMem_Free(fb->out);
      fb->obj = NULL;
      PyErr_NoMemory();
      return -1;
    }
  }
  return 0;
}

/* Converts (name, value) pairs of any accepted kind into fb. */
static int fieldbuf_fill(fieldbuf *fb, PyObject *headers) {
  PyObject *seq = PySequence_Fast(headers, "headers must be a sequence");
  Py_ssize_t i, n;
  if (!seq)
    return -1;
  n = PySequence_Fast_GET_SIZE(seq);
  if (fieldbuf_init(fb, n) < 0) {
    Py_DECREF(seq);
    return -1;
  }
  for (i = 0; i < n; i++) {
    PyObject *pair = PySequence_Fast_GET_ITEM(seq, i), *name, *value, *raw,
             *lower, *val;
    if (PyTuple_CheckExact(pair) && PyTuple_GET_SIZE(pair) == 2) {
      name = PyTuple_GET_ITEM(pair, 0);
      value = PyTuple_GET_ITEM(pair, 1);
      Py_INCREF(name);
      Py_INCREF(value);
    } else {
      PyObject *it =
          PySequence_Fast(pair, "header must be a (name, value) pair");
      if (!it)
        goto fail;
      if (PySequence_Fast_GET_SIZE(it) != 2) {
        PyErr_Format(PyExc_ValueError, "expected 2 values to unpack, got %zd",
                     PySequence_Fast_GET_SIZE(it));
        Py_DECREF(it);
        goto fail;
      }
      name = Py_NewRef(PySequence_Fast_GET_ITEM(it, 0));
      value = Py_NewRef(PySequence_Fast_GET_ITEM(it, 1));
      Py_DECREF(it);
    }
    raw = bytesify(name);
    Py_DECREF(name);
    val = raw ? bytesify(value) : NULL;
    Py_DECREF(value);
    if (!val) {
      Py_XDECREF(raw);
      goto fail;
    }
    lower = lowered(raw);
    if (!lower) {
      Py_DECREF(raw);
      Py_DECREF(val);
      goto fail;
    }
    fb->obj[3 * i] = raw;
    fb->obj[3 * i + 1] = lower;
    fb->obj[3 * i + 2] = val;
    fb->n = i + 1;
    fb->in[i].name = slice_of(lower);
    fb->in[i].raw_name = slice_of(raw);
    fb->in[i].value = slice_of(val);
  }
  Py_DECREF(seq);
  return 0;
fail:
  Py_DECREF(seq);
  return -1;
}

/* The Headers of the validated fields fb->out[0, n). */
static PyObject *fieldbuf_headers(modstate *st, fieldbuf *fb, size_t n) {
  HeadersObject *h;
  Py_ssize_t i, j = 0;
  if (n == 0)
    return Py_NewRef(st->empty_headers);
  h = headers_alloc(st, (Py_ssize_t)n);
  if (!h)
    return NULL;
  for (i = 0; i < (Py_ssize_t)n; i++) {
    const h11c_header *o = &fb->out[i];
    /* Fields are only dropped, never reordered. */
    while (fb->in[j].raw_name.base != o->raw_name.base)
      j++;
    h->it[3 * i] = Py_NewRef(fb->obj[3 * j]);
    h->it[3 * i + 1] = Py_NewRef(fb->obj[3 * j + 1]);
    if (o->value.base == fb->in[j].value.base &&
        o->value.len == fb->in[j].value.len)
      h->it[3 * i + 2] = Py_NewRef(fb->obj[3 * j + 2]);
    else if (!(h->it[3 * i + 2] = bytes_of(o->value))) {
      Py_DECREF(h);
      return NULL;
    }
    j++;
  }
  return (PyObject *)h;
}

/* Fills ev's fields from a Headers object (borrowed views). */
static int headers_to_c(HeadersObject *h, h11c_header *out) {
  Py_ssize_t i;
  for (i = 0; i < HDR_N(h); i++) {
    out[i].name = slice_of(h->it[3 * i + 1]);
    out[i].raw_name = slice_of(h->it[3 * i]);
    out[i].value = slice_of(h->it[3 * i + 2]);
  }
  return 0;
}

/* Raises h11's LocalProtocolError for a failed h11c_event_validate(). */
static void raise_invalid(modstate *st, const h11c_event *ev,
                          const h11c_error *err, fieldbuf *fb) {
  size_t i, n;
  if (err->reason == H11C_REASON_BAD_HEADER_NAME ||
      err->reason == H11C_REASON_BAD_HEADER_VALUE) {
    /* Which field: the first one that fails on its own. */
    for (i = 0; fb && i < (size_t)fb->n; i++) {
      h11c_event one = {
          .type = H11C_EV_END_OF_MESSAGE, .headers = &fb->in[i], .nheaders = 1};
      h11c_header tmp;
      h11c_error e1;
      if (h11c_event_validate(&one, &tmp, &n, &e1) != H11C_OK &&
          e1.reason == err->reason) {
        int name = err->reason == H11C_REASON_BAD_HEADER_NAME;
        raise_protocol(st->LocalProtocolError,
                       PyUnicode_FromFormat(name ? "Illegal header name %R"
                                                 : "Illegal header value %R",
                                            fb->obj[3 * i + (name ? 0 : 2)]),
                       err->status_hint);
        return;
      }
    }
  }
  if (err->reason == H11C_REASON_BAD_STATUS_CODE) {
    int info = ev->type == H11C_EV_INFORMATIONAL_RESPONSE;
    raise_protocol(st->LocalProtocolError,
                   PyUnicode_FromFormat(
                       "%s status_code should be in range [%d, %d), not %d",
                       info ? "InformationalResponse" : "Response",
                       info ? 100 : 200, info ? 200 : 1000, ev->status_code),
                   400);
    return;
  }
  raise_local(st, h11c_reason_str(err->reason), err->status_hint);
}

/* Builds the Headers of an event being constructed from headers (a
 * Headers, a sequence of pairs, or NULL for none), validating it and the
 * event ev (whose other fields are set) unless parsed. */
static PyObject *validated_headers(modstate *st, PyObject *headers,
                                   h11c_event *ev, int parsed) {
  fieldbuf fb;
  h11c_error err;
  size_t n;
  PyObject *out;
  h11c_header hstack[STACK_FIELDS];
  if (!headers || headers == Py_None ||
      PyObject_TypeCheck(headers, st->Headers)) {
    HeadersObject *h =
        (HeadersObject *)(headers && headers != Py_None ? headers
                                                        : st->empty_headers);
    h11c_header *arr = hstack;
    int rv;
    if (parsed || ev->type == H11C_EV_END_OF_MESSAGE)
      return Py_NewRef(h);
    /* h11 trusts a Headers; the event's own rules still apply. */
    if (HDR_N(h) > STACK_FIELDS &&
        !(arr = PyMem_Calloc((size_t)HDR_N(h), sizeof(h11c_header))))
      return PyErr_NoMemory();
    headers_to_c(h, arr);
    ev->headers = arr;
    ev->nheaders = (size_t)HDR_N(h);
    rv = h11c_event_validate(ev, arr, &n, &err);
    if (arr != hstack)
      PyMem_Free(arr);
    if (rv != H11C_OK) {
      raise_invalid(st, ev, &err, NULL);
      return NULL;
    }
    return Py_NewRef(h);
  }
  if (fieldbuf_fill(&fb, headers) < 0) {
    fieldbuf_free(&fb);
    return NULL;
  }
  ev->headers = fb.in;
  ev->nheaders = (size_t)fb.n;
  if (parsed) {
    memcpy(fb.out, fb.in, sizeof(h11c_header) * (size_t)fb.n);
    n = (size_t)fb.n;
  } else if (h11c_event_validate(ev, fb.out, &n, &err) != H11C_OK) {
    raise_invalid(st, ev, &err, &fb);
    fieldbuf_free(&fb);
    return NULL;
  }
  out = fieldbuf_headers(st, &fb, n);
  fieldbuf_free(&fb);
  return out;
}

static PyObject *bytes_arg(PyObject *v, int parsed, const char *deflt) {
  if (!v)
    return PyBytes_FromString(deflt);
  return parsed ? Py_NewRef(v) : bytesify(v);
}

static PyObject *request_vectorcall(PyObject *type, PyObject *const *args,
                                    size_t nargsf, PyObject *kwnames) {
  modstate *st = state_of_type((PyTypeObject *)type);
  PyObject *v[5], *method = NULL, *target = NULL, *version = NULL, *headers;
  h11c_event ev = {.type = H11C_EV_REQUEST};
  int parsed;
  if (!st)
    return NULL;
  {
    PyObject *names[5] = {st->s_method, st->s_headers, st->s_target,
                          st->s_http_version, st->s_parsed};
    if (parse_args("Request", args, nargsf, kwnames, names, 5, 0, v) < 0)
      return NULL;
  }
  if (!v[0])
    return missing("Request", "method"), NULL;
  if (!v[1])
    return missing("Request", "headers"), NULL;
  if (!v[2])
    return missing("Request", "target"), NULL;
  parsed = v[4] ? PyObject_IsTrue(v[4]) : 0;
  if (parsed < 0)
    return NULL;
  method = bytes_arg(v[0], parsed, "");
  target = method ? bytes_arg(v[2], parsed, "") : NULL;
  version =
      target ? (v[3] ? bytes_arg(v[3], parsed, "") : Py_NewRef(st->v11)) : NULL;
  if (!version)
    goto fail;
  if (!PyBytes_Check(method) || !PyBytes_Check(target) ||
      !PyBytes_Check(version)) {
    PyErr_SetString(PyExc_TypeError, "Request fields must be bytes");
    goto fail;
  }
  ev.method = slice_of(method);
  ev.target = slice_of(target);
  ev.http_version = slice_of(version);
  headers = validated_headers(st, v[1], &ev, parsed);
  if (!headers)
    goto fail;
  return event_new(st, K_REQUEST, method, headers, target, version);
fail:
  Py_XDECREF(method);
  Py_XDECREF(target);
  Py_XDECREF(version);
  return NULL;
}

static PyObject *response_common(PyObject *type, PyObject *const *args,
                                 size_t nargsf, PyObject *kwnames, int k) {
  modstate *st = state_of_type((PyTypeObject *)type);
  const char *fname = KIND_NAMES[k];
  PyObject *v[5], *version = NULL, *reason = NULL, *status = NULL, *headers;
  h11c_event ev = {.type = k == K_INFO ? H11C_EV_INFORMATIONAL_RESPONSE
                                       : H11C_EV_RESPONSE};
  int parsed, overflow;
  long code;
  if (!st)
    return NULL;
  {
    PyObject *names[5] = {st->s_headers, st->s_status_code, st->s_http_version,
                          st->s_reason, st->s_parsed};
    if (parse_args(fname, args, nargsf, kwnames, names, 5, 0, v) < 0)
      return NULL;
  }
  if (!v[0])
    return missing(fname, "headers"), NULL;
  if (!v[1])
    return missing(fname, "status_code"), NULL;
  parsed = v[4] ? PyObject_IsTrue(v[4]) : 0;
  if (parsed < 0)
    return NULL;
  reason = bytes_arg(v[3], parsed, "");
  version =
      reason ? (v[2] ? bytes_arg(v[2], parsed, "") : Py_NewRef(st->v11)) : NULL;
  if (!version)
    goto fail;
  if (!PyBytes_Check(reason) || !PyBytes_Check(version)) {
    PyErr_Format(PyExc_TypeError, "%s fields must be bytes", fname);
    goto fail;
  }
  if (!PyLong_Check(v[1])) {
    raise_local(st, "status code must be integer", 400);
    goto fail;
  }
  status = PyLong_CheckExact(v[1]) ? Py_NewRef(v[1]) : PyNumber_Long(v[1]);
  if (!status)
    goto fail;
  code = PyLong_AsLongAndOverflow(status, &overflow);
  if (overflow || code > 100000 || code < -100000)
    code = -1; /* out of every range */
  ev.status_code = (int)code;
  ev.reason = slice_of(reason);
  ev.http_version = slice_of(version);
  if (!parsed && overflow) {
    raise_protocol(st->LocalProtocolError,
                   PyUnicode_FromFormat(
                       "%s status_code should be in range [%d, %d), not %S",
                       fname, k == K_INFO ? 100 : 200, k == K_INFO ? 200 : 1000,
                       status),
                   400);
    goto fail;
  }
  headers = validated_headers(st, v[0], &ev, parsed);
  if (!headers)
    goto fail;
  return event_new(st, k, headers, version, reason, status);
fail:
  Py_XDECREF(version);
  Py_XDECREF(reason);
  Py_XDECREF(status);
  return NULL;
}

static PyObject *info_vectorcall(PyObject *type, PyObject *const *args,
                                 size_t nargsf, PyObject *kwnames) {
  return response_common(type, args, nargsf, kwnames, K_INFO);
}

static PyObject *response_vectorcall(PyObject *type, PyObject *const *args,
                                     size_t nargsf, PyObject *kwnames) {
  return response_common(type, args, nargsf, kwnames, K_RESPONSE);
}

static PyObject *data_vectorcall(PyObject *type, PyObject *const *args,
                                 size_t nargsf, PyObject *kwnames) {
  modstate *st = state_of_type((PyTypeObject *)type);
  PyObject *v[3];
  if (!st)
    return NULL;
  {
    PyObject *names[3] = {st->s_data, st->s_chunk_start, st->s_chunk_end};
    if (parse_args("Data", args, nargsf, kwnames, names, 3, 3, v) < 0)
      return NULL;
  }
  if (!v[0]) {
    PyErr_SetString(PyExc_TypeError,
                    "Data.__init__() missing 1 required positional argument: "
                    "'data'");
    return NULL;
  }
  return event_new(st, K_DATA, Py_NewRef(v[0]),
                   Py_NewRef(v[1] ? v[1] : Py_False),
                   Py_NewRef(v[2] ? v[2] : Py_False), NULL);
}

static PyObject *eom_vectorcall(PyObject *type, PyObject *const *args,
                                size_t nargsf, PyObject *kwnames) {
  modstate *st = state_of_type((PyTypeObject *)type);
  PyObject *v[2], *headers;
  h11c_event ev = {.type = H11C_EV_END_OF_MESSAGE};
  int parsed;
  if (!st)
    return NULL;
  {
    PyObject *names[2] = {st->s_headers, st->s_parsed};
    if (parse_args("EndOfMessage", args, nargsf, kwnames, names, 2, 0, v) < 0)
      return NULL;
  }
  parsed = v[1] ? PyObject_IsTrue(v[1]) : 0;
  if (parsed < 0)
    return NULL;
  headers = validated_headers(st, v[0], &ev, parsed);
  if (!headers)
    return NULL;
  return event_new(st, K_EOM, headers, NULL, NULL, NULL);
}

static PyObject *closed_vectorcall(PyObject *type, PyObject *const *args,
                                   size_t nargsf, PyObject *kwnames) {
  modstate *st = state_of_type((PyTypeObject *)type);
  PyObject *v[1] = {NULL};
  if (!st ||
      parse_args("ConnectionClosed", args, nargsf, kwnames, v, 0, 0, v) < 0)
    return NULL;
  return event_new(st, K_CLOSED, NULL, NULL, NULL, NULL);
}

static const vectorcallfunc EVENT_CALLS[K__COUNT] = {
    request_vectorcall, info_vectorcall, response_vectorcall,
    data_vectorcall,    eom_vectorcall,  closed_vectorcall};

/* tp_new: the same as calling the class. */
static PyObject *event_tp_new(PyTypeObject *type, PyObject *args,
                              PyObject *kwds) {
  return PyVectorcall_Call((PyObject *)type, args, kwds);
}

#define MEMBER(name, i)                                                        \
  {                                                                            \
    name, T_OBJECT_EX, offsetof(EventObject, f) + (i) * sizeof(PyObject *),    \
        READONLY, NULL                                                         \
  }
static PyMemberDef request_members[] = {MEMBER("method", 0),
                                        MEMBER("headers", 1),
                                        MEMBER("target", 2),
                                        MEMBER("http_version", 3),
                                        {NULL, 0, 0, 0, NULL}};
static PyMemberDef response_members[] = {MEMBER("headers", 0),
                                         MEMBER("http_version", 1),
                                         MEMBER("reason", 2),
                                         MEMBER("status_code", 3),
                                         {NULL, 0, 0, 0, NULL}};
static PyMemberDef data_members[] = {MEMBER("data", 0),
                                     MEMBER("chunk_start", 1),
                                     MEMBER("chunk_end", 2),
                                     {NULL, 0, 0, 0, NULL}};
static PyMemberDef eom_members[] = {MEMBER("headers", 0),
                                    {NULL, 0, 0, 0, NULL}};
static PyMemberDef closed_members[] = {{NULL, 0, 0, 0, NULL}};

#define EVENT_SLOTS(members, hash)                                             \
  {                                                                            \
    {Py_tp_dealloc, (void *)event_dealloc},                                    \
        {Py_tp_traverse, (void *)event_traverse},                              \
        {Py_tp_clear, (void *)event_clear}, {Py_tp_repr, (void *)event_repr},  \
        {Py_tp_richcompare, (void *)event_richcompare},                        \
        {Py_tp_hash, (void *)(hash)}, {Py_tp_members, members},                \
        {Py_tp_new, (void *)event_tp_new}, {                                   \
      0, NULL                                                                  \
    }                                                                          \
  }
static PyType_Slot request_slots[] =
    EVENT_SLOTS(request_members, PyObject_HashNotImplemented);
static PyType_Slot info_slots[] =
    EVENT_SLOTS(response_members, PyObject_HashNotImplemented);
static PyType_Slot response_slots[] =
    EVENT_SLOTS(response_members, PyObject_HashNotImplemented);
static PyType_Slot data_slots[] =
    EVENT_SLOTS(data_members, PyObject_HashNotImplemented);
static PyType_Slot eom_slots[] =
    EVENT_SLOTS(eom_members, PyObject_HashNotImplemented);
static PyType_Slot closed_slots[] = EVENT_SLOTS(closed_members, closed_hash);

#define EVENT_FLAGS (Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC)
static PyType_Spec event_specs[K__COUNT] = {
    {"h11c.Request", sizeof(EventObject), 0, EVENT_FLAGS, request_slots},
    {"h11c.InformationalResponse", sizeof(EventObject), 0, EVENT_FLAGS,
     info_slots},
    {"h11c.Response", sizeof(EventObject), 0, EVENT_FLAGS, response_slots},
    {"h11c.Data", sizeof(EventObject), 0, EVENT_FLAGS, data_slots},
    {"h11c.EndOfMessage", sizeof(EventObject), 0, EVENT_FLAGS, eom_slots},
    {"h11c.ConnectionClosed", sizeof(EventObject), 0, EVENT_FLAGS,
     closed_slots}};

static PyType_Slot event_base_slots[] = {
    {Py_tp_doc, (void *)"Base class for h11 events."}, {0, NULL}};
static PyType_Spec event_base_spec = {"h11c.Event", sizeof(PyObject), 0,
                                      Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
                                      event_base_slots};

/* ---- events to and from C ---- */

static PyObject *headers_from_c(modstate *st, const h11c_header *f, size_t n) {
  HeadersObject *h;
  size_t i;
  if (n == 0)
    return Py_NewRef(st->empty_headers);
  h = headers_alloc(st, (Py_ssize_t)n);
  if (!h)
    return NULL;
  for (i = 0; i < n; i++) {
    PyObject *raw = bytes_of(f[i].raw_name), *lower;
    if (!raw)
      goto fail;
    h->it[3 * i] = raw;
    if (f[i].raw_name.len == f[i].name.len &&
        memcmp(f[i].raw_name.base, f[i].name.base, f[i].name.len) == 0)
      lower = Py_NewRef(raw);
    else
      lower = bytes_of(f[i].name);
    if (!lower || !(h->it[3 * i + 1] = lower) ||
        !(h->it[3 * i + 2] = bytes_of(f[i].value)))
      goto fail;
  }
  return (PyObject *)h;
fail:
  Py_DECREF(h);
  return NULL;
}

static PyObject *version_of(modstate *st, h11c_slice v) {
  if (v.len == 3 && v.base[0] == '1' && v.base[2] == '1')
    return Py_NewRef(st->v11);
  if (v.len == 3 && v.base[0] == '1' && v.base[2] == '0')
    return Py_NewRef(st->v10);
  return bytes_of(v);
}

static PyObject *event_from_c(modstate *st, const h11c_event *ev) {
  PyObject *a, *b, *c, *d;
  switch (ev->type) {
  case H11C_EV_REQUEST:
    a = bytes_of(ev->method);
    b = a ? headers_from_c(st, ev->headers, ev->nheaders) : NULL;
    c = b ? bytes_of(ev->target) : NULL;
    d = c ? version_of(st, ev->http_version) : NULL;
    if (!d)
      break;
    return event_new(st, K_REQUEST, a, b, c, d);
  case H11C_EV_INFORMATIONAL_RESPONSE:
  case H11C_EV_RESPONSE:
    a = headers_from_c(st, ev->headers, ev->nheaders);
    b = a ? version_of(st, ev->http_version) : NULL;
    c = b ? bytes_of(ev->reason) : NULL;
    d = c ? PyLong_FromLong(ev->status_code) : NULL;
    if (!d)
      break;
    return event_new(st, ev->type == H11C_EV_RESPONSE ? K_RESPONSE : K_INFO, a,
                     b, c, d);
  case H11C_EV_DATA:
    a = bytes_of(ev->data);
    if (!a)
      return NULL;
    return event_new(st, K_DATA, a,
                     Py_NewRef(ev->chunk_start ? Py_True : Py_False),
                     Py_NewRef(ev->chunk_end ? Py_True : Py_False), NULL);
  case H11C_EV_END_OF_MESSAGE:
    a = headers_from_c(st, ev->headers, ev->nheaders);
    if (!a)
      return NULL;
    return event_new(st, K_EOM, a, NULL, NULL, NULL);
  default:
    return event_new(st, K_CLOSED, NULL, NULL, NULL, NULL);
  }
  Py_XDECREF(a);
  Py_XDECREF(b);
  Py_XDECREF(c);
  return NULL;
}

/* The kind of an event object, or -1. */
static int kind_of(modstate *st, PyObject *obj) {
  int k;
  for (k = 0; k < K__COUNT; k++)
    if (Py_TYPE(obj) == st->ev[k])
      return k;
  return -1;
}

static const h11c_event_type KIND_TYPES[K__COUNT] = {
    H11C_EV_REQUEST, H11C_EV_INFORMATIONAL_RESPONSE, H11C_EV_RESPONSE,
    H11C_EV_DATA,    H11C_EV_END_OF_MESSAGE,         H11C_EV_CONNECTION_CLOSED};

static const uint8_t placeholder_byte = 0;

/* A C view of an event object (kind k); its fields point into the event's
 * objects, and into *hbuf (allocated if hstack is too small: free it) and
 * *view (released by the caller if view->obj). */
static int event_to_c(modstate *st, PyObject *obj, int k, h11c_event *ev,
                      h11c_header *hstack, h11c_header **pheap,
                      Py_buffer *view) {
  EventObject *e = (EventObject *)obj;
  HeadersObject *h = NULL;
  (void)st;
  memset(ev, 0, sizeof(*ev));
  ev->type = KIND_TYPES[k];
  *pheap = NULL;
  view->obj = NULL;
  switch (k) {
  case K_REQUEST:
    ev->method = slice_of(e->f[REQ_METHOD]);
    ev->target = slice_of(e->f[REQ_TARGET]);
    ev->http_version = slice_of(e->f[REQ_VERSION]);
    h = (HeadersObject *)e->f[REQ_HEADERS];
    break;
  case K_INFO:
  case K_RESPONSE:
    ev->status_code = (int)PyLong_AsLong(e->f[RESP_STATUS]);
    ev->reason = slice_of(e->f[RESP_REASON]);
    ev->http_version = slice_of(e->f[RESP_VERSION]);
    h = (HeadersObject *)e->f[RESP_HEADERS];
    break;
  case K_DATA:
    if (PyObject_CheckBuffer(e->f[DATA_DATA])) {
      if (PyObject_GetBuffer(e->f[DATA_DATA], view, PyBUF_SIMPLE) < 0)
        return -1;
      ev->data.base =
          view->buf ? (const uint8_t *)view->buf : &placeholder_byte;
      ev->data.len = (size_t)view->len;
    } else {
      /* A sendfile placeholder: only its length matters. */
      Py_ssize_t n = PyObject_Length(e->f[DATA_DATA]);
      if (n < 0)
        return -1;
      ev->data.base = &placeholder_byte;
      ev->data.len = (size_t)n;
    }
    return 0;
  case K_EOM:
    h = (HeadersObject *)e->f[EOM_HEADERS];
    break;
  default:
    return 0;
  }
  if (HDR_N(h) > STACK_FIELDS) {
    *pheap = PyMem_Calloc((size_t)HDR_N(h), sizeof(h11c_header));
    if (!*pheap) {
      PyErr_NoMemory();
      return -1;
    }
    hstack = *pheap;
  }
  headers_to_c(h, hstack);
  ev->headers = hstack;
  ev->nheaders = (size_t)HDR_N(h);
  return 0;
}

/* ---- Connection ---- */

typedef struct {
  PyObject_HEAD h11c_conn *conn;
  modstate *st;
  h11c_role our_role;
} ConnObject;

static PyObject *conn_new(PyTypeObject *type, PyObject *args, PyObject *kwds) {
  static char *kwlist[] = {(char *)"our_role",
                           (char *)"max_incomplete_event_size", NULL};
  PyObject *role;
  Py_ssize_t max = H11C_DEFAULT_MAX_INCOMPLETE_EVENT_SIZE;
  modstate *st = state_of_type(type);
  ConnObject *c;
  h11c_options opts;
  if (!st || !PyArg_ParseTupleAndKeywords(args, kwds, "O|n:Connection", kwlist,
                                          &role, &max))
    return NULL;
  if (role != st->roles[0] && role != st->roles[1]) {
    PyErr_Format(PyExc_ValueError, "expected CLIENT or SERVER, not %R", role);
    return NULL;
  }
  if (max < 1) {
    PyErr_SetString(PyExc_ValueError, "max_incomplete_event_size must be >= 1");
    return NULL;
  }
  c = (ConnObject *)type->tp_alloc(type, 0);
  if (!c)
    return NULL;
  c->st = st;
  c->our_role = role == st->roles[0] ? H11C_CLIENT : H11C_SERVER;
  h11c_options_init(&opts);
  opts.max_incomplete_event_size = (size_t)max;
  if (h11c_conn_new(&c->conn, c->our_role, &opts, NULL) != H11C_OK) {
    Py_DECREF(c);
    return PyErr_NoMemory();
  }
  return (PyObject *)c;
}

static void conn_dealloc(ConnObject *c) {
  PyTypeObject *t = Py_TYPE(c);
  h11c_conn_del(c->conn);
  t->tp_free((PyObject *)c);
  Py_DECREF(t);
}

/* Raises the Python error for the last failure on c; what names the event
 * type and the states before the call (for h11's state machine message). */
static PyObject *conn_raise(ConnObject *c, const char *what, h11c_role role,
                            h11c_state before) {
  const h11c_error *err = h11c_conn_last_error(c->conn);
  modstate *st = c->st;
  PyObject *type = err->code == H11C_ERR_REMOTE_PROTOCOL
                       ? st->RemoteProtocolError
                       : st->LocalProtocolError;
  char buf[256];
  if (err->code == H11C_ERR_NOMEM)
    return PyErr_NoMemory();
  if (err->reason == H11C_REASON_BAD_EVENT_FOR_STATE && what) {
    raise_protocol(type,
                   PyUnicode_FromFormat(
                       "can't handle event type %s when role=%s and state=%s",
                       what, role == H11C_CLIENT ? "CLIENT" : "SERVER",
                       h11c_state_name(before)),
                   err->status_hint);
    return NULL;
  }
  h11c_error_message(err, buf, sizeof buf);
  raise_protocol(type, PyUnicode_FromString(buf), err->status_hint);
  return NULL;
}

static PyObject *conn_receive_data(ConnObject *c, PyObject *data) {
  Py_buffer view;
  int rv;
  if (PyBytes_CheckExact(data)) {
    Py_ssize_t n = PyBytes_GET_SIZE(data);
    rv = n ? h11c_conn_receive_data(
                 c->conn, (const uint8_t *)PyBytes_AS_STRING(data), (size_t)n)
           : h11c_conn_receive_eof(c->conn);
  } else {
    if (PyObject_GetBuffer(data, &view, PyBUF_SIMPLE) < 0)
      return NULL;
    rv = view.len ? h11c_conn_receive_data(c->conn, view.buf, (size_t)view.len)
                  : h11c_conn_receive_eof(c->conn);
    PyBuffer_Release(&view);
  }
  if (rv == H11C_ERR_INVALID_ARGUMENT) {
    PyErr_SetString(PyExc_RuntimeError,
                    "received close, then received more data?");
    return NULL;
  }
  if (rv == H11C_ERR_NOMEM)
    return PyErr_NoMemory();
  Py_RETURN_NONE;
}

static PyObject *conn_next_event(ConnObject *c, PyObject *unused) {
  h11c_event ev;
  h11c_state before = h11c_conn_their_state(c->conn);
  int rv = h11c_conn_next_event(c->conn, &ev);
  (void)unused;
  if (rv == H11C_OK)
    return event_from_c(c->st, &ev);
  if (rv == H11C_NEED_DATA)
    return Py_NewRef(c->st->NEED_DATA);
  if (rv == H11C_PAUSED)
    return Py_NewRef(c->st->PAUSED);
  return conn_raise(
      c, NULL, c->our_role == H11C_CLIENT ? H11C_SERVER : H11C_CLIENT, before);
}

/* Sends obj; with passthrough a list of pieces, else one bytes. */
static PyObject *conn_send_impl(ConnObject *c, PyObject *obj, int passthrough) {
  modstate *st = c->st;
  h11c_event ev;
  h11c_header hstack[STACK_FIELDS], *heap;
  Py_buffer view;
  h11c_slice iov[H11C_SEND_IOV_MAX];
  size_t niov = 0, i, total = 0;
  h11c_state before = h11c_conn_our_state(c->conn);
  PyObject *out;
  int k = kind_of(st, obj), rv;
  if (before == H11C_ERROR) {
    raise_local(st, "Can't send data when our state is ERROR", 400);
    return NULL;
  }
  if (k < 0) {
    h11c_conn_send_failed(c->conn);
    raise_protocol(st->LocalProtocolError,
                   PyUnicode_FromFormat(
                       "can't handle event type %s when role=%s and state=%s",
                       Py_TYPE(obj)->tp_name,
                       c->our_role == H11C_CLIENT ? "CLIENT" : "SERVER",
                       h11c_state_name(before)),
                   400);
    return NULL;
  }
  if (event_to_c(st, obj, k, &ev, hstack, &heap, &view) < 0) {
    h11c_conn_send_failed(c->conn);
    return NULL;
  }
  rv = h11c_conn_send(c->conn, &ev, iov, &niov);
  PyMem_Free(heap);
  if (rv != H11C_OK) {
    if (view.obj)
      PyBuffer_Release(&view);
    h11c_conn_send_failed(c->conn);
    return conn_raise(c, KIND_NAMES[k], c->our_role, before);
  }
  if (k == K_CLOSED) {
    Py_RETURN_NONE;
  }
  if (passthrough) {
    out = PyList_New((Py_ssize_t)niov);
    for (i = 0; out && i < niov; i++) {
      PyObject *piece = k == K_DATA && iov[i].base == ev.data.base
                            ? Py_NewRef(((EventObject *)obj)->f[DATA_DATA])
                            : bytes_of(iov[i]);
      if (!piece)
        Py_CLEAR(out);
      else
        PyList_SET_ITEM(out, (Py_ssize_t)i, piece);
    }
  } else {
    char *p;
    if (k == K_DATA && !view.obj && ev.data.len) {
      PyErr_SetString(PyExc_TypeError, "send() needs bytes-like data; use "
                                       "send_with_data_passthrough()");
      return NULL;
    }
    for (i = 0; i < niov; i++)
      total += iov[i].len;
    out = niov == 1 ? bytes_of(iov[0])
                    : PyBytes_FromStringAndSize(NULL, (Py_ssize_t)total);
    if (out && niov != 1) {
      p = PyBytes_AS_STRING(out);
      for (i = 0; i < niov; i++) {
        memcpy(p, iov[i].base, iov[i].len);
        p += iov[i].len;
      }
    }
  }
  if (view.obj)
    PyBuffer_Release(&view);
  return out;
}

static PyObject *conn_send(ConnObject *c, PyObject *obj) {
  return conn_send_impl(c, obj, 0);
}

static PyObject *conn_send_passthrough(ConnObject *c, PyObject *obj) {
  return conn_send_impl(c, obj, 1);
}

static PyObject *conn_send_failed(ConnObject *c, PyObject *unused) {
  (void)unused;
  h11c_conn_send_failed(c->conn);
  Py_RETURN_NONE;
}

static PyObject *conn_start_next_cycle(ConnObject *c, PyObject *unused) {
  (void)unused;
  if (h11c_conn_start_next_cycle(c->conn) != H11C_OK)
    return conn_raise(c, NULL, c->our_role, H11C_ERROR);
  Py_RETURN_NONE;
}

static PyObject *conn_get_our_role(ConnObject *c, void *u) {
  (void)u;
  return Py_NewRef(c->st->roles[c->our_role]);
}
static PyObject *conn_get_their_role(ConnObject *c, void *u) {
  (void)u;
  return Py_NewRef(c->st->roles[1 - c->our_role]);
}
static PyObject *conn_get_our_state(ConnObject *c, void *u) {
  (void)u;
  return Py_NewRef(c->st->states[h11c_conn_our_state(c->conn)]);
}
static PyObject *conn_get_their_state(ConnObject *c, void *u) {
  (void)u;
  return Py_NewRef(c->st->states[h11c_conn_their_state(c->conn)]);
}
static PyObject *conn_get_states(ConnObject *c, void *u) {
  modstate *st = c->st;
  (void)u;
  return Py_BuildValue(
      "{OOOO}", st->roles[0], st->states[h11c_conn_state(c->conn, H11C_CLIENT)],
      st->roles[1], st->states[h11c_conn_state(c->conn, H11C_SERVER)]);
}
static PyObject *conn_get_their_http_version(ConnObject *c, void *u) {
  int v = h11c_conn_their_http_version(c->conn);
  (void)u;
  if (v < 0)
    Py_RETURN_NONE;
  if (v == 11)
    return Py_NewRef(c->st->v11);
  if (v == 10)
    return Py_NewRef(c->st->v10);
  return PyBytes_FromFormat("%d.%d", v / 10, v % 10);
}
static PyObject *conn_get_client_waiting(ConnObject *c, void *u) {
  (void)u;
  return PyBool_FromLong(h11c_conn_client_is_waiting_for_100_continue(c->conn));
}
static PyObject *conn_get_they_waiting(ConnObject *c, void *u) {
  (void)u;
  return PyBool_FromLong(h11c_conn_they_are_waiting_for_100_continue(c->conn));
}
static PyObject *conn_get_trailing_data(ConnObject *c, void *u) {
  h11c_slice data = {NULL, 0};
  bool closed = false;
  (void)u;
  if (h11c_conn_trailing_data(c->conn, &data, &closed) == H11C_ERR_NOMEM)
    return PyErr_NoMemory();
  return Py_BuildValue("(y#O)", data.base ? (const char *)data.base : "",
                       (Py_ssize_t)data.len, closed ? Py_True : Py_False);
}

static PyGetSetDef conn_getset[] = {
    {"our_role", (getter)conn_get_our_role, NULL, NULL, NULL},
    {"their_role", (getter)conn_get_their_role, NULL, NULL, NULL},
    {"our_state", (getter)conn_get_our_state, NULL, NULL, NULL},
    {"their_state", (getter)conn_get_their_state, NULL, NULL, NULL},
    {"states", (getter)conn_get_states, NULL, NULL, NULL},
    {"their_http_version", (getter)conn_get_their_http_version, NULL, NULL,
     NULL},
    {"client_is_waiting_for_100_continue", (getter)conn_get_client_waiting,
     NULL, NULL, NULL},
    {"they_are_waiting_for_100_continue", (getter)conn_get_they_waiting, NULL,
     NULL, NULL},
    {"trailing_data", (getter)conn_get_trailing_data, NULL, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL}};

static PyMethodDef conn_methods[] = {
    {"receive_data", (PyCFunction)conn_receive_data, METH_O,
     "Add received bytes; b\"\" means the peer closed."},
    {"next_event", (PyCFunction)conn_next_event, METH_NOARGS,
     "The next event, NEED_DATA or PAUSED."},
    {"send", (PyCFunction)conn_send, METH_O,
     "The bytes of an event to send (None for ConnectionClosed)."},
    {"send_with_data_passthrough", (PyCFunction)conn_send_passthrough, METH_O,
     "As send(), as a list of pieces; Data's data is passed through."},
    {"send_failed", (PyCFunction)conn_send_failed, METH_NOARGS,
     "Sending failed: our state becomes ERROR."},
    {"start_next_cycle", (PyCFunction)conn_start_next_cycle, METH_NOARGS,
     "Reset both sides from DONE to IDLE."},
    {NULL, NULL, 0, NULL}};

static PyType_Slot conn_slots[] = {
    {Py_tp_new, (void *)conn_new},
    {Py_tp_dealloc, (void *)conn_dealloc},
    {Py_tp_getset, conn_getset},
    {Py_tp_methods, conn_methods},
    {Py_tp_doc, (void *)"An HTTP/1.1 connection's protocol state (h11's "
                        "Connection); not thread-safe."},
    {0, NULL}};
static PyType_Spec conn_spec = {"h11c.Connection", sizeof(ConnObject), 0,
                                Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
                                conn_slots};

/* ---- h11's _body_framing and _keep_alive ---- */

static int head_to_c(modstate *st, PyObject *event, h11c_event *ev,
                     h11c_header *hstack, h11c_header **pheap) {
  Py_buffer view;
  int k = kind_of(st, event);
  if (k != K_REQUEST && k != K_RESPONSE) {
    PyErr_SetString(PyExc_TypeError, "expected a Request or Response");
    return -1;
  }
  return event_to_c(st, event, k, ev, hstack, pheap, &view);
}

static PyObject *mod_body_framing(PyObject *mod, PyObject *args) {
  modstate *st = (modstate *)PyModule_GetState(mod);
  PyObject *method, *event;
  h11c_event ev;
  h11c_header hstack[STACK_FIELDS], *heap;
  h11c_framing framing;
  uint64_t len;
  int rv;
  h11c_slice m = {NULL, 0};
  if (!PyArg_ParseTuple(args, "OO:_body_framing", &method, &event))
    return NULL;
  if (method != Py_None) {
    if (!PyBytes_Check(method)) {
      PyErr_SetString(PyExc_TypeError, "request_method must be bytes or None");
      return NULL;
    }
    m = slice_of(method);
  }
  if (head_to_c(st, event, &ev, hstack, &heap) < 0)
    return NULL;
  rv = h11c_event_body_framing(m, &ev, &framing, &len);
  PyMem_Free(heap);
  if (rv != H11C_OK) {
    raise_local(st, "bad framing fields", 400);
    return NULL;
  }
  if (framing == H11C_FRAMING_CHUNKED)
    return Py_BuildValue("(s())", "chunked");
  if (framing == H11C_FRAMING_CLOSE)
    return Py_BuildValue("(s())", "http/1.0");
  return Py_BuildValue("(s(K))", "content-length", (unsigned long long)len);
}

static PyObject *mod_keep_alive(PyObject *mod, PyObject *event) {
  modstate *st = (modstate *)PyModule_GetState(mod);
  h11c_event ev;
  h11c_header hstack[STACK_FIELDS], *heap;
  bool keep = false;
  int rv;
  if (head_to_c(st, event, &ev, hstack, &heap) < 0)
    return NULL;
  rv = h11c_event_keep_alive(&ev, &keep);
  PyMem_Free(heap);
  if (rv != H11C_OK) {
    raise_local(st, "bad framing fields", 400);
    return NULL;
  }
  return PyBool_FromLong(keep);
}

static PyMethodDef module_methods[] = {
    {"_body_framing", mod_body_framing, METH_VARARGS,
     "h11's _body_framing(request_method, event)."},
    {"_keep_alive", mod_keep_alive, METH_O, "h11's _keep_alive(event)."},
    {NULL, NULL, 0, NULL}};

/* ---- module ---- */

static int add_type(PyObject *m, PyObject *t, const char *name,
                    PyObject *modname) {
  if (!t || PyObject_SetAttrString(t, "__module__", modname) < 0)
    return -1;
  return PyModule_AddObjectRef(m, name, t);
}

static int core_exec(PyObject *m) {
  modstate *st = (modstate *)PyModule_GetState(m);
  PyObject *modname, *pkg;
  int k;
  /* Classes report the package (h11c, or h11 when installed as h11). */
  modname = PyModule_GetNameObject(m);
  if (!modname)
    return -1;
  {
    Py_ssize_t dot =
        PyUnicode_FindChar(modname, '.', 0, PyUnicode_GET_LENGTH(modname), -1);
    pkg = dot > 0 ? PyUnicode_Substring(modname, 0, dot) : Py_NewRef(modname);
    Py_DECREF(modname);
    if (!pkg)
      return -1;
  }
#define INTERN(field, s)                                                       \
  if (!(st->field = PyUnicode_InternFromString(s)))                            \
    goto fail;
  INTERN(s_method, "method");
  INTERN(s_headers, "headers");
  INTERN(s_target, "target");
  INTERN(s_http_version, "http_version");
  INTERN(s_parsed, "_parsed");
  INTERN(s_status_code, "status_code");
  INTERN(s_reason, "reason");
  INTERN(s_data, "data");
  INTERN(s_chunk_start, "chunk_start");
  INTERN(s_chunk_end, "chunk_end");
#undef INTERN
  if (!(st->v11 = PyBytes_FromString("1.1")) ||
      !(st->v10 = PyBytes_FromString("1.0")))
    goto fail;

  st->ProtocolError =
      PyType_FromModuleAndSpec(m, &protocol_error_spec, PyExc_Exception);
  if (add_type(m, st->ProtocolError, "ProtocolError", pkg) < 0)
    goto fail;
  st->LocalProtocolError =
      PyType_FromModuleAndSpec(m, &local_error_spec, st->ProtocolError);
  if (add_type(m, st->LocalProtocolError, "LocalProtocolError", pkg) < 0)
    goto fail;
  st->RemoteProtocolError =
      PyType_FromModuleAndSpec(m, &remote_error_spec, st->ProtocolError);
  if (add_type(m, st->RemoteProtocolError, "RemoteProtocolError", pkg) < 0)
    goto fail;

  st->Sentinel = (PyTypeObject *)PyType_FromModuleAndSpec(
      m, &sentinel_spec, (PyObject *)&PyType_Type);
  if (add_type(m, (PyObject *)st->Sentinel, "Sentinel", pkg) < 0)
    goto fail;
  if (!(st->roles[0] = make_sentinel(st, "CLIENT", pkg)) ||
      PyModule_AddObjectRef(m, "CLIENT", st->roles[0]) < 0 ||
      !(st->roles[1] = make_sentinel(st, "SERVER", pkg)) ||
      PyModule_AddObjectRef(m, "SERVER", st->roles[1]) < 0 ||
      !(st->NEED_DATA = make_sentinel(st, "NEED_DATA", pkg)) ||
      PyModule_AddObjectRef(m, "NEED_DATA", st->NEED_DATA) < 0 ||
      !(st->PAUSED = make_sentinel(st, "PAUSED", pkg)) ||
      PyModule_AddObjectRef(m, "PAUSED", st->PAUSED) < 0)
    goto fail;
  for (k = 0; k < NSTATES; k++)
    if (!(st->states[k] =
              make_sentinel(st, h11c_state_name((h11c_state)k), pkg)) ||
        PyModule_AddObjectRef(m, h11c_state_name((h11c_state)k),
                              st->states[k]) < 0)
      goto fail;

  st->Headers =
      (PyTypeObject *)PyType_FromModuleAndSpec(m, &headers_spec, NULL);
  if (add_type(m, (PyObject *)st->Headers, "Headers", pkg) < 0)
    goto fail;
  st->empty_headers = (PyObject *)headers_alloc(st, 0);
  if (!st->empty_headers)
    goto fail;
  st->Event =
      (PyTypeObject *)PyType_FromModuleAndSpec(m, &event_base_spec, NULL);
  if (add_type(m, (PyObject *)st->Event, "Event", pkg) < 0)
    goto fail;
  for (k = 0; k < K__COUNT; k++) {
    PyObject *match;
    int i;
    st->ev[k] = (PyTypeObject *)PyType_FromModuleAndSpec(m, &event_specs[k],
                                                         (PyObject *)st->Event);
    if (add_type(m, (PyObject *)st->ev[k], KIND_NAMES[k], pkg) < 0)
      goto fail;
    st->ev[k]->tp_vectorcall = EVENT_CALLS[k];
    match = PyTuple_New(NFIELDS[k]);
    if (!match)
      goto fail;
    for (i = 0; i < NFIELDS[k]; i++) {
      PyObject *s = PyUnicode_InternFromString(FIELD_NAMES[k][i]);
      if (!s) {
        Py_DECREF(match);
        goto fail;
      }
      PyTuple_SET_ITEM(match, i, s);
    }
    i = PyObject_SetAttrString((PyObject *)st->ev[k], "__match_args__", match);
    Py_DECREF(match);
    if (i < 0)
      goto fail;
  }
  st->Connection =
      (PyTypeObject *)PyType_FromModuleAndSpec(m, &conn_spec, NULL);
  if (add_type(m, (PyObject *)st->Connection, "Connection", pkg) < 0)
    goto fail;
  if (PyModule_AddIntConstant(m, "DEFAULT_MAX_INCOMPLETE_EVENT_SIZE",
                              H11C_DEFAULT_MAX_INCOMPLETE_EVENT_SIZE) < 0 ||
      PyModule_AddStringConstant(m, "H11C_VERSION", H11C_VERSION_STRING) < 0)
    goto fail;
  Py_DECREF(pkg);
  return 0;
fail:
  Py_DECREF(pkg);
  return -1;
}

/* The objects the module state holds. */
/* clang-format off */
#define STATE_OBJECTS(X)                                                       \
  X(Headers) X(Event) X(Connection) X(Sentinel)                                \
  X(ev[K_REQUEST]) X(ev[K_INFO]) X(ev[K_RESPONSE])                             \
  X(ev[K_DATA]) X(ev[K_EOM]) X(ev[K_CLOSED])                                   \
  X(ProtocolError) X(LocalProtocolError) X(RemoteProtocolError)               \
  X(roles[0]) X(roles[1]) X(NEED_DATA) X(PAUSED)                               \
  X(empty_headers) X(v11) X(v10)                                               \
  X(s_method) X(s_headers) X(s_target) X(s_http_version) X(s_parsed)           \
  X(s_status_code) X(s_reason) X(s_data) X(s_chunk_start) X(s_chunk_end)
/* clang-format on */

static int core_traverse(PyObject *m, visitproc visit, void *arg) {
  modstate *st = (modstate *)PyModule_GetState(m);
  int k;
#define VISIT(f) Py_VISIT(st->f);
  STATE_OBJECTS(VISIT)
#undef VISIT
  for (k = 0; k < NSTATES; k++)
    Py_VISIT(st->states[k]);
  return 0;
}

static int core_clear(PyObject *m) {
  modstate *st = (modstate *)PyModule_GetState(m);
  int k;
#define CLEAR(f) Py_CLEAR(st->f);
  STATE_OBJECTS(CLEAR)
#undef CLEAR
  for (k = 0; k < NSTATES; k++)
    Py_CLEAR(st->states[k]);
  return 0;
}

static void core_free(void *m) { core_clear((PyObject *)m); }

static PyModuleDef_Slot core_slots[] = {{Py_mod_exec, (void *)core_exec},
                                        {0, NULL}};

static struct PyModuleDef core_module = {
    PyModuleDef_HEAD_INIT, "_core",        "h11's API on the h11c C library.",
    sizeof(modstate),      module_methods, core_slots,
    core_traverse,         core_clear,     core_free};

PyMODINIT_FUNC PyInit__core(void);
PyMODINIT_FUNC PyInit__core(void) { return PyModuleDef_Init(&core_module); }
