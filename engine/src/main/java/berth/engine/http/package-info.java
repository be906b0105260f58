/**
 * The HTTP layer of the daemon: the Docker Engine API served on a unix domain socket. {@link
 * berth.engine.http.ApiServer} binds the socket and runs Netty's epoll transport; every request is matched by
 * the {@link berth.engine.http.Router} (versioned {@code /vX.Y} and plain paths) and handed, on a virtual
 * thread of its own, to a plain blocking {@link berth.engine.http.Handler} that sees the request as an {@link
 * berth.engine.http.Exchange}: streaming request bodies with backpressure, JSON or chunked responses whose
 * every flush reaches the client, and hijacked connections ({@code Upgrade: tcp}) with half-close for attach
 * and exec. Requests on one connection are answered in order.
 */
package berth.engine.http;
