package berth.engine.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.DomainSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.concurrent.TimeUnit;

/**
 * The Docker Engine API server: listens on a unix domain socket (Netty, epoll transport) and serves the routes
 * of a {@link Router} until {@link #close()}. Connections are kept alive and may be half-closed (attach, exec).
 */
public final class ApiServer implements AutoCloseable {
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
    private static final String GROUP = "berth";

    private final Path socket;
    private final EventLoopGroup loops;
    private final Channel listener;
    private final ChannelGroup connections;

    private ApiServer(Path socket, EventLoopGroup loops, Channel listener, ChannelGroup connections) {
        this.socket = socket;
        this.loops = loops;
        this.listener = listener;
        this.connections = connections;
    }

    /**
     * Binds the socket (creating parent dirs; an existing socket file is replaced — the caller has checked
     * nobody answers on it), mode 0660, group "berth" when that group exists (else the daemon's own group), and
     * serves until close(). JSON responses are written with a plain Jackson ObjectMapper.
     */
    public static ApiServer start(Path socket, Router router, ErrorMapper errors) throws IOException {
        return start(socket, router, errors, new ObjectMapper());
    }

    /** As {@link #start(Path, Router, ErrorMapper)}, with the ObjectMapper that writes JSON responses and reads JSON bodies. */
    public static ApiServer start(Path socket, Router router, ErrorMapper errors, ObjectMapper json)
            throws IOException {
        if (!Epoll.isAvailable()) {
            throw new IOException("cannot serve the API on " + socket + ": the epoll transport is unavailable: "
                    + Api.message(Epoll.unavailabilityCause()));
        }
        Path path = socket.toAbsolutePath();
        prepare(path);
        Api api = new Api(router, errors, json);
        EventLoopGroup loops = new EpollEventLoopGroup(2, new DefaultThreadFactory("berth-api-io", true));
        ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        Channel listener;
        try {
            listener = bind(path, api, loops, connections);
        } catch (IOException e) {
            loops.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
        ApiServer server = new ApiServer(path, loops, listener, connections);
        try {
            restrict(path);
        } catch (IOException e) {
            server.close();
            throw new IOException("cannot restrict access to " + path + ": " + Api.message(e), e);
        }
        return server;
    }

    private static Channel bind(Path path, Api api, EventLoopGroup loops, ChannelGroup connections)
            throws IOException {
        try {
            return new ServerBootstrap()
                    .group(loops)
                    .channel(EpollServerDomainSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 512)
                    .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                    .childHandler(new ChannelInitializer<DomainSocketChannel>() {
                        @Override
                        protected void initChannel(DomainSocketChannel ch) {
                            connections.add(ch);
                            HttpConnection.install(ch, api);
                        }
                    })
                    .bind(new DomainSocketAddress(path.toString()))
                    .sync()
                    .channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("bind " + path + ": interrupted", e);
        } catch (Exception e) { // sync() rethrows the bind failure as it is, checked or not
            throw new IOException("bind " + path + ": " + Api.message(e), e);
        }
    }

    /** The socket's path. */
    public Path socket() {
        return socket;
    }

    /** Stops accepting, closes every connection (handlers' writes then fail) and removes the socket file. */
    @Override
    public void close() {
        listener.close().awaitUninterruptibly();
        connections.close().awaitUninterruptibly();
        // a quiet period, so that handlers finishing just now still find the event loop to say so
        loops.shutdownGracefully(100, 2000, TimeUnit.MILLISECONDS).awaitUninterruptibly();
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            System.err.println("berth api: cannot remove " + socket + ": " + Api.message(e));
        }
    }

    private static void prepare(Path path) throws IOException {
        Files.createDirectories(path.getParent());
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            if ((mode & S_IFMT) != S_IFSOCK) {
                throw new IOException("cannot serve the API on " + path + ": it exists and is not a socket");
            }
            Files.delete(path);
        }
    }

    private static void restrict(Path path) throws IOException {
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw----"));
        GroupPrincipal group;
        try {
            group = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(GROUP);
        } catch (UserPrincipalNotFoundException e) {
            return; // no berth group: the socket keeps the daemon's group
        }
        Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setGroup(group);
    }
}
