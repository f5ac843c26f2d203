#ifndef CZMQ_SHIM_H
#define CZMQ_SHIM_H

#include <zmq.h>
#include <errno.h>
#include <sys/eventfd.h>
#include <unistd.h>

/// `errno` as a function: Swift cannot read the C macro portably.
static inline int czmq_errno(void) { return zmq_errno(); }

#endif
