/**
 * The daemon's I/O loop: one platform thread that waits on epoll for every running container's output pipes
 * (and terminal), reads what is ready without ever blocking, and hands the bytes to each stream's
 * {@link berth.engine.io.ByteSink}. An idle container so costs the daemon a few descriptors and objects instead
 * of threads blocked in read(2).
 */
package berth.engine.io;
