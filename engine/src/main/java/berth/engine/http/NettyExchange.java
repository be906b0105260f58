package berth.engine.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * One request of a connection and its response, run on a virtual thread by {@link HttpConnection}: resolves the
 * route, calls the handler, turns what it throws into an error response, and completes whatever the handler
 * left open.
 */
final class NettyExchange implements Exchange {
    private enum Response { NONE, SENT, STREAMING, HIJACKED }

    private static final HttpResponseStatus UPGRADED = new HttpResponseStatus(101, "UPGRADED");

    final InboundBytes body;
    private final HttpConnection connection;
    private final HttpRequest request;
    private final boolean head;
    private final boolean keepAlive;
    private final HttpHeaders responseHeaders = new DefaultHttpHeaders();
    private final GoneCallbacks goneCallbacks;
    private Router.Match match = new Router.Match(null, Router.DEFAULT_VERSION, "", Map.of());
    private QueryParams query = new QueryParams(Map.of());
    private Response response = Response.NONE;
    private ChannelOutput stream;
    private HijackedConnection hijacked;
    private boolean closeAfter;
    private JsonNode json;

    NettyExchange(HttpConnection connection, HttpRequest request, InboundBytes body) {
        this.connection = connection;
        this.request = request;
        this.body = body;
        this.head = request.method().equals(HttpMethod.HEAD);
        this.keepAlive = HttpUtil.isKeepAlive(request);
        this.goneCallbacks = new GoneCallbacks(request.method() + " " + request.uri(), connection::gone);
    }

    String uri() {
        return request.uri();
    }

    boolean upgradeRequested() {
        return Upgrades.requested(request);
    }

    /** Whether the connection must close after this exchange (no keep-alive, hijacked, malformed request). */
    boolean closesConnection() {
        return closeAfter || !keepAlive || response == Response.HIJACKED || request.decoderResult().isFailure();
    }

    /** Runs the exchange to its end on the calling (virtual) thread. */
    void run() {
        try {
            if (request.decoderResult().isFailure()) {
                throw new ApiException(400, "malformed request: " + Api.message(request.decoderResult().cause()));
            }
            String path = decodeTarget();
            boolean expectsContinue = HttpUtil.is100ContinueExpected(request);
            // a client refused "100 Continue" may or may not send its body: the connection cannot go on after it
            closeAfter = expectsContinue;
            match = connection.api().router().resolve(method(), path);
            if (expectsContinue) {
                connection.out().write(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
                closeAfter = false;
            }
            match.handler().handle(this);
        } catch (Throwable t) {
            failed(t);
        } finally {
            complete();
        }
    }

    /** Decodes the request target: keeps the query parameters and returns the path; a bad escape is a 400. */
    private String decodeTarget() {
        try {
            QueryStringDecoder target = new QueryStringDecoder(request.uri(), StandardCharsets.UTF_8, true, 1024, true);
            query = new QueryParams(target.parameters());
            return target.path();
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "malformed request URI " + request.uri() + ": " + Api.message(e));
        }
    }

    private void failed(Throwable t) {
        ApiException error = connection.api().map(t);
        if (clientGone() || connection.out().broken()) {
            return; // nobody to tell; failures of writes to a client that left are expected
        }
        if (error.status() == 500) {
            Api.log(request.method() + " " + request.uri(), t);
        }
        if (response == Response.NONE) {
            try {
                send(error.status(), Map.of("message", error.getMessage() == null ? "" : error.getMessage()));
            } catch (RuntimeException e) {
                // the client is gone
            }
        }
    }

    private void complete() {
        try {
            switch (response) {
                case NONE -> {
                    if (!clientGone()) {
                        status(200);
                    }
                }
                case STREAMING -> stream.close();
                case HIJACKED -> {
                    if (hijacked != null) {
                        hijacked.close();
                    } else {
                        connection.closeAfterWrites(); // switching failed half-way: the connection is unusable
                    }
                }
                case SENT -> {
                }
            }
        } catch (IOException | RuntimeException e) {
            // the client is gone: nothing left to complete
        }
        body.discard();
        goneCallbacks.finish();
    }

    /** The client left while this exchange runs. */
    void clientLeft() {
        goneCallbacks.fire();
    }

    @Override
    public String method() {
        return request.method().name();
    }

    @Override
    public String path() {
        return match.path();
    }

    @Override
    public String apiVersion() {
        return match.version();
    }

    @Override
    public boolean versionAtLeast(String version) {
        return ApiVersions.compare(apiVersion(), version) >= 0;
    }

    @Override
    public String param(String name) {
        return match.params().get(name);
    }

    @Override
    public String query(String name) {
        return query.first(name);
    }

    @Override
    public List<String> queryAll(String name) {
        return query.all(name);
    }

    @Override
    public boolean queryBool(String name, boolean dflt) {
        return query.bool(name, dflt);
    }

    @Override
    public int queryInt(String name, int dflt) {
        return query.integer(name, dflt);
    }

    @Override
    public String header(String name) {
        return request.headers().get(name);
    }

    @Override
    public InputStream body() {
        return body;
    }

    @Override
    public JsonNode jsonBody() {
        if (json == null) {
            try {
                JsonNode node = connection.api().json().readTree(body);
                json = node == null || node.isMissingNode() || node.isNull()
                        ? connection.api().json().createObjectNode() : node;
            } catch (JsonProcessingException e) {
                throw new ApiException(400, "invalid JSON in the request body: " + e.getOriginalMessage());
            } catch (IOException e) {
                throw new UncheckedIOException("reading the request body failed: " + Api.message(e), e);
            }
        }
        return json;
    }

    @Override
    public void responseHeader(String name, String value) {
        requireNoResponse();
        responseHeaders.add(name, value);
    }

    @Override
    public void status(int status) {
        requireNoResponse();
        HttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
        headers(r);
        if (status >= 200 && status != 204 && status != 304) {
            HttpUtil.setContentLength(r, 0);
        }
        sendWhole(r);
    }

    @Override
    public void json(int status, Object body) {
        requireNoResponse();
        send(status, body);
    }

    private void send(int status, Object body) {
        byte[] bytes;
        try {
            bytes = connection.api().json().writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise the response as JSON: " + e.getOriginalMessage(), e);
        }
        whole(status, HttpHeaderValues.APPLICATION_JSON.toString(), bytes);
    }

    @Override
    public void bytes(int status, String contentType, byte[] body) {
        requireNoResponse();
        whole(status, contentType, body);
    }

    private void whole(int status, String contentType, byte[] body) {
        ByteBuf content = head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body);
        HttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status), content);
        headers(r);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        HttpUtil.setContentLength(r, body.length);
        sendWhole(r);
    }

    private void sendWhole(HttpResponse r) {
        response = Response.SENT;
        try {
            connection.out().write(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public OutputStream stream(int status, String contentType) {
        requireNoResponse();
        HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
        headers(r);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        if (request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
            closeAfter = true; // no chunked encoding in HTTP/1.0: the body ends when the connection closes
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (!head) {
            HttpUtil.setTransferEncodingChunked(r, true);
        }
        response = Response.STREAMING;
        stream = new ChannelOutput(connection.out(), DefaultHttpContent::new,
                () -> connection.out().write(LastHttpContent.EMPTY_LAST_CONTENT), head);
        try {
            connection.out().write(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return stream;
    }

    @Override
    public Hijacked hijack(String contentType) {
        requireNoResponse();
        response = Response.HIJACKED;
        try {
            InputStream in;
            if (upgradeRequested()) {
                HttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, UPGRADED);
                headers(r);
                r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
                r.headers().set(HttpHeaderNames.CONNECTION, "Upgrade");
                r.headers().set(HttpHeaderNames.UPGRADE, "tcp");
                in = connection.upgrade(r);
            } else {
                HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                headers(r);
                r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
                r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                connection.rawResponse(r);
                in = body;
            }
            hijacked = new HijackedConnection(connection, in);
            return hijacked;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean clientGone() {
        return connection.gone();
    }

    @Override
    public void onClientGone(Runnable r) {
        goneCallbacks.register(r);
    }

    private void headers(HttpResponse r) {
        HttpHeaders h = r.headers();
        Api.commonHeaders(h);
        h.add(responseHeaders);
        if (!keepAlive) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
    }

    private void requireNoResponse() {
        if (response != Response.NONE) {
            throw new IllegalStateException("the response to " + request.method() + " " + request.uri()
                    + " was already started");
        }
    }
}
