// calls-zmq-raw-router: the floor the bus is measured against from outside. A ROUTER on plain
// libzmq, in a process of its own, that does the least a request socket can do: receive a request
// and send back a fixed reply (a real `calls.get` reply, read from a file), with the routing
// frames and the REQ-style empty delimiter it came with.
//
//   calls-zmq-raw-router --reply FILE [--endpoint tcp://127.0.0.1:*] [--max-seconds 600]
//
// Prints the endpoint it bound (one line on stdout), then serves until SIGTERM or SIGINT, or
// until --max-seconds have passed, so that it stops by itself when nobody stops it.
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zmq.h>

// Frames before the body that are sent back: routing ids and the empty delimiter.
#define MAX_ROUTE_FRAMES 8

static volatile sig_atomic_t stopping = 0;

static void stop(int signal_number) {
    (void)signal_number;
    stopping = 1;
}

static double monotonic_seconds(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

static int fail(const char *what) {
    fprintf(stderr, "calls-zmq-raw-router: %s: %s\n", what, zmq_strerror(zmq_errno()));
    return 1;
}

static char *read_file(const char *path, size_t *size) {
    FILE *file = fopen(path, "rb");
    if (file == NULL) return NULL;
    char *bytes = NULL;
    if (fseek(file, 0, SEEK_END) == 0) {
        long length = ftell(file);
        if (length > 0 && fseek(file, 0, SEEK_SET) == 0 && (bytes = malloc((size_t)length)) != NULL) {
            *size = fread(bytes, 1, (size_t)length, file);
        }
    }
    fclose(file);
    return bytes;
}

// Receives one whole message; keeps its first frames up to and including the empty delimiter in
// `route`, drops the body. Returns the number of route frames, 0 when nothing came in time, -1 on
// an error other than a timeout or an interruption.
static int receive_request(void *router, zmq_msg_t *route) {
    int count = 0;
    int more = 1;
    int delimited = 0;
    while (more) {
        zmq_msg_t frame;
        zmq_msg_init(&frame);
        if (zmq_msg_recv(&frame, router, 0) < 0) {
            zmq_msg_close(&frame);
            for (int index = 0; index < count; index++) zmq_msg_close(&route[index]);
            return (zmq_errno() == EAGAIN || zmq_errno() == EINTR) && count == 0 ? 0 : -1;
        }
        more = zmq_msg_more(&frame);
        if (!delimited && count < MAX_ROUTE_FRAMES) {
            delimited = zmq_msg_size(&frame) == 0;
            route[count++] = frame;
        } else {
            zmq_msg_close(&frame);
        }
    }
    return count;
}

int main(int argc, char **argv) {
    const char *reply_path = NULL;
    const char *endpoint = "tcp://127.0.0.1:*";
    double max_seconds = 600;
    for (int index = 1; index + 1 < argc; index += 2) {
        if (strcmp(argv[index], "--reply") == 0) reply_path = argv[index + 1];
        else if (strcmp(argv[index], "--endpoint") == 0) endpoint = argv[index + 1];
        else if (strcmp(argv[index], "--max-seconds") == 0) max_seconds = atof(argv[index + 1]);
    }
    if (reply_path == NULL || argc % 2 == 0 || max_seconds <= 0) {
        fprintf(stderr, "usage: calls-zmq-raw-router --reply FILE [--endpoint EP] [--max-seconds S]\n");
        return 2;
    }
    size_t reply_size = 0;
    char *reply = read_file(reply_path, &reply_size);
    if (reply == NULL || reply_size == 0) {
        fprintf(stderr, "calls-zmq-raw-router: cannot read a reply from %s\n", reply_path);
        return 2;
    }
    signal(SIGTERM, stop);
    signal(SIGINT, stop);

    void *context = zmq_ctx_new();
    void *router = zmq_socket(context, ZMQ_ROUTER);
    // The bus's own queue limits, so that neither side queues more than the other; a short receive
    // timeout so that the loop sees a stop request or its deadline.
    int high_water_mark = 10000, linger = 0, receive_timeout = 100;
    zmq_setsockopt(router, ZMQ_SNDHWM, &high_water_mark, sizeof high_water_mark);
    zmq_setsockopt(router, ZMQ_RCVHWM, &high_water_mark, sizeof high_water_mark);
    zmq_setsockopt(router, ZMQ_LINGER, &linger, sizeof linger);
    zmq_setsockopt(router, ZMQ_RCVTIMEO, &receive_timeout, sizeof receive_timeout);
    if (zmq_bind(router, endpoint) != 0) return fail("zmq_bind");
    char bound[256];
    size_t bound_size = sizeof bound;
    if (zmq_getsockopt(router, ZMQ_LAST_ENDPOINT, bound, &bound_size) != 0) return fail("zmq_getsockopt");
    printf("%s\n", bound);
    fflush(stdout);

    double deadline = monotonic_seconds() + max_seconds;
    zmq_msg_t route[MAX_ROUTE_FRAMES];
    int status = 0;
    while (!stopping && monotonic_seconds() < deadline) {
        int count = receive_request(router, route);
        if (count < 0) {
            status = fail("zmq_msg_recv");
            break;
        }
        for (int index = 0; index < count; index++) {
            if (zmq_msg_send(&route[index], router, ZMQ_SNDMORE) < 0) zmq_msg_close(&route[index]);
        }
        if (count > 0 && zmq_send(router, reply, reply_size, 0) < 0 && zmq_errno() != EHOSTUNREACH) {
            status = fail("zmq_send");
            break;
        }
    }
    zmq_close(router);
    zmq_ctx_term(context);
    free(reply);
    return status;
}
