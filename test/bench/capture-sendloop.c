// What a capture adds to each datagram on the sending thread itself: sends `n` 64-byte datagrams
// with sendto() from an unconnected UDP socket to a bound one on loopback, reading one back with
// recvfrom() every other send (so half are dropped at the full receive queue, as in the bench's
// node flood), and prints the thread's CPU time per send in ns. Thread CPU time hardly depends on
// what else the machine runs, unlike throughput. Built and run by capture-cost.ts.
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

static double thread_cpu_seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char** argv) {
  int n = argc > 1 ? atoi(argv[1]) : 1000000;
  struct sockaddr_in to = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t to_len = sizeof(to);
  int sink = socket(AF_INET, SOCK_DGRAM, 0);
  int source = socket(AF_INET, SOCK_DGRAM, 0);
  if (sink < 0 || source < 0 || bind(sink, (struct sockaddr*)&to, sizeof(to)) || getsockname(sink, (struct sockaddr*)&to, &to_len)) {
    perror("capture-sendloop");
    return 1;
  }
  char payload[64] = {0};
  char back[2048];
  double start = thread_cpu_seconds();
  for (int i = 0; i < n; i++) {
    sendto(source, payload, sizeof(payload), 0, (struct sockaddr*)&to, sizeof(to));
    if (i % 2 == 0) {
      struct sockaddr_in from;
      socklen_t from_len = sizeof(from);
      recvfrom(sink, back, sizeof(back), MSG_DONTWAIT, (struct sockaddr*)&from, &from_len);
    }
  }
  printf("%.0f\n", (thread_cpu_seconds() - start) / n * 1e9);
  return 0;
}
