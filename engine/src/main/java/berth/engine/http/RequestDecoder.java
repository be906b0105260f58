package berth.engine.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.LastHttpContent;

import java.util.List;

/**
 * Netty's request decoder, made to stop after a request that asks for an upgrade: the bytes behind it are raw
 * stream data if the handler hijacks the connection, so they wait undecoded (reading paused) until the handler
 * either hijacks — the decoder is then removed and hands them on as they are — or answers normally ({@link
 * #resume}). Limits are generous: filters in the query and X-Registry-Auth/X-Registry-Config headers are long.
 */
final class RequestDecoder extends HttpRequestDecoder {
    private final ReadGate gate;
    private boolean upgrading;
    private boolean paused;

    RequestDecoder(ReadGate gate) {
        super(new HttpDecoderConfig()
                .setMaxInitialLineLength(64 * 1024)
                .setMaxHeaderSize(1024 * 1024)
                .setMaxChunkSize(64 * 1024));
        this.gate = gate;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
        if (paused) {
            return;
        }
        int from = out.size();
        super.decode(ctx, buffer, out);
        for (int i = from; i < out.size(); i++) {
            Object msg = out.get(i);
            if (msg instanceof HttpRequest request) {
                upgrading = Upgrades.requested(request);
            }
            if (msg instanceof LastHttpContent && upgrading) {
                upgrading = false;
                paused = true;
                gate.hold();
            }
        }
    }

    /** Decodes on after an upgrade request that was answered normally (event loop). */
    void resume(ChannelHandlerContext ctx) {
        if (paused) {
            paused = false;
            gate.release();
            ctx.pipeline().fireChannelRead(Unpooled.EMPTY_BUFFER); // decode what already waits
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) throws Exception {
        if (paused) {
            paused = false;
            gate.release();
        }
        super.handlerRemoved0(ctx);
    }
}
