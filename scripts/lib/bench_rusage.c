/* Runs a command once and prints its resource use, for scripts/lib/bench_measure.py:
 *   wall_us user_us sys_us max_rss_kib minor_faults exit_status
 * Why C: Linux counts the memory high-water mark of the address space a process had before
 * exec into its ru_maxrss, and Python starts children with vfork, so every child measured
 * from Python would report at least Python's own RSS. A small process that fork()s gives
 * the command a fresh count that starts from this program's few hundred KiB. */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: bench_rusage COMMAND [ARG...]\n"); return 2; }
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    pid_t pid = fork();
    if (pid < 0) { perror("fork"); return 2; }
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        dup2(null, 2);
        execvp(argv[1], argv + 1);
        _exit(127);
    }
    int status;
    struct rusage usage;
    if (wait4(pid, &status, 0, &usage) < 0) { perror("wait4"); return 2; }
    clock_gettime(CLOCK_MONOTONIC, &end);
    long wall = (end.tv_sec - start.tv_sec) * 1000000L + (end.tv_nsec - start.tv_nsec) / 1000;
    printf("%ld %ld %ld %ld %ld %d\n", wall,
           usage.ru_utime.tv_sec * 1000000L + usage.ru_utime.tv_usec,
           usage.ru_stime.tv_sec * 1000000L + usage.ru_stime.tv_usec,
           usage.ru_maxrss, usage.ru_minflt, WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    return 0;
}
