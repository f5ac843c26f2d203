// calls-zmq-load: a load generator for a request socket (the bus, or calls-zmq-raw-router), in C
// and in a process of its own, so that the load costs the machine little and shares no code with
// what it measures. Each client is a thread with its own DEALER that sends the REQ-style empty
// delimiter, keeps --in-flight requests outstanding and times every one.
//
//   calls-zmq-load --endpoint EP --requests FILE --clients N --in-flight K --seconds S
//                  --max-requests M --out FILE [--warm-up 20] [--reply-timeout-ms 5000]
//
// --requests holds one request frame per line; client c sends line (c * lines / N + n) mod lines
// as its n-th request. Every client first sends --warm-up requests in lockstep, unmeasured; then
// all start together and send until --seconds have passed or M requests (all clients together)
// are sent, then collect the replies still due. A reply counts as refused unless its body starts
// with {"statusCode":0. A client that waits longer than --reply-timeout-ms for a reply stops.
//
// --out gets, in native byte order, 64-bit words: the number of clients, then per client its
// replies R, refused replies, whether it timed out (0 or 1), its start and the time of its last
// reply (CLOCK_MONOTONIC nanoseconds), then R round trips in nanoseconds. stdout gets one line.
// Exit status: 0 when the load ran (refusals and timeouts are in the results), 1 when it could not
// start (connect, warm-up), 2 for a usage error.
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zmq.h>

#define MAX_CLIENTS 64
#define MAX_IN_FLIGHT 1024

typedef struct {
    const char *endpoint;
    char **frames;
    size_t *frame_sizes;
    size_t frame_count;
    int clients;
    int in_flight;
    double seconds;
    long max_requests;
    int warm_up;
    int reply_timeout_ms;
    void *context;
    pthread_barrier_t ready;
    pthread_barrier_t started;
    uint64_t start;
} Load;

typedef struct {
    Load *load;
    int index;
    int failed;
    uint64_t *latencies;
    uint64_t replies;
    uint64_t refused;
    uint64_t timed_out;
    uint64_t end;
} Client;

static uint64_t now_nanoseconds(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
}

static int send_request(void *socket, const char *frame, size_t size) {
    if (zmq_send(socket, "", 0, ZMQ_SNDMORE) < 0) return -1;
    return zmq_send(socket, frame, size, 0) < 0 ? -1 : 0;
}

// Receives one reply; returns 1 for a success, 0 for a refusal, -1 when none came in time.
static int receive_reply(void *socket) {
    static const char success[] = "{\"statusCode\":0";
    int frames = 0, is_success = 0, more = 1;
    while (more) {
        zmq_msg_t frame;
        zmq_msg_init(&frame);
        if (zmq_msg_recv(&frame, socket, 0) < 0) {
            zmq_msg_close(&frame);
            if (frames == 0) return -1;
            break;
        }
        frames++;
        if (frames == 2) {
            size_t size = zmq_msg_size(&frame);
            is_success = size >= sizeof success - 1 && memcmp(zmq_msg_data(&frame), success, sizeof success - 1) == 0;
        }
        more = zmq_msg_more(&frame);
        zmq_msg_close(&frame);
    }
    return frames == 2 && is_success ? 1 : 0;
}

static void measure(Client *client, void *socket, long limit) {
    Load *load = client->load;
    uint64_t deadline = load->start + (uint64_t)(load->seconds * 1e9);
    uint64_t pending[MAX_IN_FLIGHT];
    size_t first = (size_t)client->index * load->frame_count / (size_t)load->clients;
    long sent = 0;
    int head = 0, outstanding = 0;
    while (outstanding < load->in_flight && sent < limit) {
        size_t line = (first + (size_t)sent) % load->frame_count;
        pending[(head + outstanding) % load->in_flight] = now_nanoseconds();
        if (send_request(socket, load->frames[line], load->frame_sizes[line]) < 0) return;
        outstanding++;
        sent++;
    }
    while (outstanding > 0) {
        int outcome = receive_reply(socket);
        if (outcome < 0) {
            client->timed_out = 1;
            return;
        }
        uint64_t now = now_nanoseconds();
        client->latencies[client->replies++] = now - pending[head];
        head = (head + 1) % load->in_flight;
        outstanding--;
        if (outcome == 0) client->refused++;
        client->end = now;
        if (now < deadline && sent < limit) {
            size_t line = (first + (size_t)sent) % load->frame_count;
            pending[(head + outstanding) % load->in_flight] = now;
            if (send_request(socket, load->frames[line], load->frame_sizes[line]) < 0) return;
            outstanding++;
            sent++;
        }
    }
}

static void *run_client(void *argument) {
    Client *client = argument;
    Load *load = client->load;
    long limit = load->max_requests / load->clients > 0 ? load->max_requests / load->clients : 1;
    client->latencies = malloc(sizeof(uint64_t) * (size_t)limit);
    void *socket = zmq_socket(load->context, ZMQ_DEALER);
    int high_water_mark = 100000, linger = 0;
    zmq_setsockopt(socket, ZMQ_SNDHWM, &high_water_mark, sizeof high_water_mark);
    zmq_setsockopt(socket, ZMQ_RCVHWM, &high_water_mark, sizeof high_water_mark);
    zmq_setsockopt(socket, ZMQ_LINGER, &linger, sizeof linger);
    zmq_setsockopt(socket, ZMQ_RCVTIMEO, &load->reply_timeout_ms, sizeof load->reply_timeout_ms);
    client->failed = client->latencies == NULL || zmq_connect(socket, load->endpoint) != 0;
    for (int index = 0; index < load->warm_up && !client->failed; index++) {
        client->failed = send_request(socket, load->frames[0], load->frame_sizes[0]) < 0 || receive_reply(socket) < 0;
    }
    // Every client arrives, failed or not, so that none waits forever; one of them sets the start.
    if (pthread_barrier_wait(&load->ready) == PTHREAD_BARRIER_SERIAL_THREAD) load->start = now_nanoseconds();
    pthread_barrier_wait(&load->started);
    client->end = load->start;
    if (!client->failed) measure(client, socket, limit);
    zmq_close(socket);
    return NULL;
}

static int read_frames(Load *load, const char *path) {
    FILE *file = fopen(path, "r");
    if (file == NULL) return -1;
    size_t capacity = 1024;
    load->frames = malloc(sizeof(char *) * capacity);
    load->frame_sizes = malloc(sizeof(size_t) * capacity);
    char *line = NULL;
    size_t line_capacity = 0;
    ssize_t length;
    while ((length = getline(&line, &line_capacity, file)) > 0) {
        while (length > 0 && (line[length - 1] == '\n' || line[length - 1] == '\r')) length--;
        if (length == 0) continue;
        if (load->frame_count == capacity) {
            capacity *= 2;
            load->frames = realloc(load->frames, sizeof(char *) * capacity);
            load->frame_sizes = realloc(load->frame_sizes, sizeof(size_t) * capacity);
        }
        load->frames[load->frame_count] = strndup(line, (size_t)length);
        load->frame_sizes[load->frame_count++] = (size_t)length;
    }
    free(line);
    fclose(file);
    return load->frame_count > 0 ? 0 : -1;
}

static int write_results(const char *path, Client *clients, int count) {
    FILE *file = fopen(path, "wb");
    if (file == NULL) return -1;
    uint64_t header = (uint64_t)count;
    int ok = fwrite(&header, sizeof header, 1, file) == 1;
    for (int index = 0; index < count && ok; index++) {
        Client *client = &clients[index];
        uint64_t fields[5] = {client->replies, client->refused, client->timed_out, client->load->start, client->end};
        ok = fwrite(fields, sizeof fields, 1, file) == 1
            && fwrite(client->latencies, sizeof(uint64_t), client->replies, file) == client->replies;
    }
    return fclose(file) == 0 && ok ? 0 : -1;
}

int main(int argc, char **argv) {
    Load load = {.clients = 1, .in_flight = 1, .seconds = 1, .max_requests = 1000000, .warm_up = 20,
                 .reply_timeout_ms = 5000};
    const char *requests = NULL, *out = NULL;
    for (int index = 1; index + 1 < argc; index += 2) {
        const char *name = argv[index], *value = argv[index + 1];
        if (strcmp(name, "--endpoint") == 0) load.endpoint = value;
        else if (strcmp(name, "--requests") == 0) requests = value;
        else if (strcmp(name, "--out") == 0) out = value;
        else if (strcmp(name, "--clients") == 0) load.clients = atoi(value);
        else if (strcmp(name, "--in-flight") == 0) load.in_flight = atoi(value);
        else if (strcmp(name, "--seconds") == 0) load.seconds = atof(value);
        else if (strcmp(name, "--max-requests") == 0) load.max_requests = atol(value);
        else if (strcmp(name, "--warm-up") == 0) load.warm_up = atoi(value);
        else if (strcmp(name, "--reply-timeout-ms") == 0) load.reply_timeout_ms = atoi(value);
        else load.clients = 0;
    }
    if (load.endpoint == NULL || requests == NULL || out == NULL || argc % 2 == 0 || load.clients < 1
        || load.clients > MAX_CLIENTS || load.in_flight < 1 || load.in_flight > MAX_IN_FLIGHT || load.seconds <= 0
        || load.seconds > 60 || load.max_requests < 1 || load.max_requests > 100000000 || load.warm_up < 0
        || load.reply_timeout_ms < 1) {
        fprintf(stderr, "usage: calls-zmq-load --endpoint EP --requests FILE --clients 1-64 --in-flight 1-1024 "
                        "--seconds (0,60] --max-requests M --out FILE [--warm-up N] [--reply-timeout-ms T]\n");
        return 2;
    }
    if (read_frames(&load, requests) != 0) {
        fprintf(stderr, "calls-zmq-load: no request frames in %s\n", requests);
        return 2;
    }
    load.context = zmq_ctx_new();
    pthread_barrier_init(&load.ready, NULL, (unsigned)load.clients);
    pthread_barrier_init(&load.started, NULL, (unsigned)load.clients);
    Client clients[MAX_CLIENTS];
    pthread_t threads[MAX_CLIENTS];
    for (int index = 0; index < load.clients; index++) {
        clients[index] = (Client){.load = &load, .index = index};
        pthread_create(&threads[index], NULL, run_client, &clients[index]);
    }
    uint64_t replies = 0, refused = 0, timed_out = 0, end = load.start;
    int failed = 0;
    for (int index = 0; index < load.clients; index++) {
        pthread_join(threads[index], NULL);
        failed |= clients[index].failed;
        replies += clients[index].replies;
        refused += clients[index].refused;
        timed_out += clients[index].timed_out;
        if (clients[index].end > end) end = clients[index].end;
    }
    zmq_ctx_term(load.context);
    if (failed) {
        fprintf(stderr, "calls-zmq-load: a client could not connect to %s or got no warm-up reply\n", load.endpoint);
        return 1;
    }
    if (write_results(out, clients, load.clients) != 0) {
        fprintf(stderr, "calls-zmq-load: cannot write %s\n", out);
        return 1;
    }
    double seconds = (double)(end - load.start) / 1e9;
    printf("%d clients x %d in flight: %llu replies in %.3f s, %.0f req/s, %llu refused, %llu clients timed out\n",
           load.clients, load.in_flight, (unsigned long long)replies, seconds, seconds > 0 ? (double)replies / seconds : 0,
           (unsigned long long)refused, (unsigned long long)timed_out);
    return 0;
}
