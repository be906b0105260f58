package berth.engine.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.unix.DomainSocketChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;

/**
 * One client connection: turns Netty's decoded requests into {@link NettyExchange}s and runs them one after
 * the other, each on a virtual thread of its own (pipelined requests are answered in order), feeds request
 * bodies to them, notices the client leaving, and switches the connection to raw bytes when a handler hijacks
 * it. Its fields are touched on the channel's event loop only, except where noted.
 */
final class HttpConnection extends ChannelInboundHandlerAdapter {
    private final Api api;
    private final Channel channel;
    private final ReadGate gate;
    private final RequestDecoder decoder;
    private final HttpResponseEncoder encoder;
    private final Outbound out;
    private final ArrayDeque<NettyExchange> waiting = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private NettyExchange reading;
    private NettyExchange running;
    private InboundBytes raw;
    private boolean inputShut;
    private boolean closing;
    private volatile boolean gone; // read by handler threads

    private HttpConnection(Api api, Channel channel, ReadGate gate, RequestDecoder decoder,
                           HttpResponseEncoder encoder) {
        this.api = api;
        this.channel = channel;
        this.gate = gate;
        this.decoder = decoder;
        this.encoder = encoder;
        this.out = new Outbound(channel);
    }

    /** Sets up the pipeline of a new connection. */
    static void install(Channel channel, Api api) {
        ReadGate gate = new ReadGate(channel.config());
        RequestDecoder decoder = new RequestDecoder(gate);
        HttpResponseEncoder encoder = new HttpResponseEncoder();
        channel.pipeline().addLast(decoder, encoder, new HttpConnection(api, channel, gate, decoder, encoder));
    }

    Api api() {
        return api;
    }

    Outbound out() {
        return out;
    }

    /** Whether the client left: it closed the connection, or shut down its sending side outside a hijack. Any thread. */
    boolean gone() {
        return gone;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpRequest request) {
                received(request);
            }
            if (msg instanceof HttpContent content) {
                received(content);
            } else if (msg instanceof ByteBuf bytes && raw != null) {
                raw.offer(bytes);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void received(HttpRequest request) {
        if (closing) {
            return;
        }
        NettyExchange ex = new NettyExchange(this, request, new InboundBytes(gate, this::onEventLoop));
        if (request.decoderResult().isFailure()) {
            closing = true; // the decoder discards everything after a malformed request
            ex.body.end();
        } else {
            reading = ex;
        }
        if (running == null) {
            run(ex);
        } else {
            waiting.add(ex);
        }
    }

    private void received(HttpContent content) {
        if (reading == null) {
            return;
        }
        if (content.decoderResult().isFailure()) {
            reading.body.fail("malformed request body: " + Api.message(content.decoderResult().cause()));
            reading = null;
            closing = true;
            return;
        }
        reading.body.offer(content.content());
        if (content instanceof LastHttpContent) {
            reading.body.end();
            reading = null;
        }
    }

    private void run(NettyExchange ex) {
        running = ex;
        String name = "berth-api " + ex.method() + " " + ex.uri();
        Thread.ofVirtual().name(name.length() > 200 ? name.substring(0, 200) : name).start(() -> {
            try {
                ex.run();
            } finally {
                onEventLoop(() -> finished(ex));
            }
        });
    }

    private void finished(NettyExchange ex) {
        running = null;
        if (closing || ex.closesConnection() || !channel.isActive()) {
            closing = true;
            waiting.forEach(w -> w.body.discard());
            waiting.clear();
            out.afterWrites(ChannelFutureListener.CLOSE);
            return;
        }
        NettyExchange next = waiting.poll();
        if (next != null) {
            run(next);
        }
        decoder.resume(ctx); // after an upgrade request answered normally; may start the next exchange
        if (running == null && inputShut) {
            out.afterWrites(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            inputShut = true;
            if (raw != null) {
                raw.end(); // half-close of a hijacked connection: end of its input, output goes on
            } else if (running == null || !running.upgradeRequested()) {
                if (reading != null) {
                    reading.body.fail("the client closed the connection before the request body ended");
                    reading = null;
                }
                clientLeft();
                if (running == null) {
                    out.afterWrites(ChannelFutureListener.CLOSE);
                }
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (reading != null) {
            reading.body.fail("the client closed the connection before the request body ended");
            reading = null;
        }
        if (raw != null) {
            raw.end();
        }
        closing = true;
        waiting.forEach(w -> w.body.discard());
        waiting.clear();
        out.signal();
        clientLeft();
        ctx.fireChannelInactive();
    }

    private void clientLeft() {
        gone = true;
        if (running != null) {
            running.clientLeft();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        out.signal();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof IOException)) {
            Api.log("connection", cause);
        }
        ctx.close();
    }

    /**
     * Sends the 101 answer and turns the connection into raw bytes: the HTTP codec leaves the pipeline and
     * whatever the client sends from now on (including bytes the decoder held back) goes to the returned
     * stream. Called from the handler's thread.
     */
    InboundBytes upgrade(HttpResponse switching) throws IOException {
        return onEventLoop(() -> {
            out.write(switching);
            channel.pipeline().remove(encoder);
            raw = new InboundBytes(gate, this::onEventLoop);
            if (inputShut) {
                raw.end();
            }
            channel.pipeline().remove(decoder);
            return raw;
        });
    }

    /** Sends response headers and drops the encoder, so that raw bytes follow until the connection closes. */
    void rawResponse(HttpResponse headers) throws IOException {
        onEventLoop(() -> {
            out.write(headers);
            channel.pipeline().remove(encoder);
            return null;
        });
    }

    /** Shuts down our sending side once everything written so far is out. */
    void shutdownOutputAfterWrites() {
        out.afterWrites(f -> {
            if (channel.isActive()) {
                ((DomainSocketChannel) channel).shutdownOutput();
            }
        });
    }

    /** Closes the connection once everything written so far is out. */
    void closeAfterWrites() {
        out.afterWrites(ChannelFutureListener.CLOSE);
    }

    /** Runs {@code task} on the event loop, unless the server shut down (the connection went with it). */
    private void onEventLoop(Runnable task) {
        try {
            channel.eventLoop().execute(task);
        } catch (RejectedExecutionException e) {
            // the server is closed: there is nothing left to do for this connection
        }
    }

    private <T> T onEventLoop(Callable<T> task) throws IOException {
        try {
            return channel.eventLoop().submit(task).get();
        } catch (RejectedExecutionException e) {
            throw new IOException("the API server is shutting down", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while switching the connection to raw bytes");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("switching the connection to raw bytes failed: " + Api.message(e.getCause()),
                    e.getCause());
        }
    }
}
