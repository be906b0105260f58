/**
 * The client side of the Docker Engine API as bin/berth speaks it: HTTP/1.1 over a unix socket (the JDK's
 * {@code SocketChannel} with {@code StandardProtocolFamily.UNIX}), a small response parser (fixed length,
 * chunked, until close, and the {@code Upgrade: tcp} hijack that attach and exec use), the daemon's address
 * ({@code -H}, {@code DOCKER_HOST}), API version negotiation through {@code /_ping}, JSON via Jackson, and the
 * stdout/stderr multiplexing of non-TTY streams.
 */
package berth.cli.client;
