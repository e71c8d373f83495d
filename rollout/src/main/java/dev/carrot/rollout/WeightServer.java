package dev.carrot.rollout;

import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PfxOptions;

/**
 * The trainer's weight endpoint: {@code GET /weights/v<version>/<file>} answers with a file of a published version
 * and its SHA-256 in the {@value #CHECKSUM_HEADER} header, to requests that carry the cluster secret as
 * {@code Authorization: Bearer …}; anything else gets 401 (no or wrong secret), 404 (no such version or file, e.g.
 * one already dropped) or 405. Served over TLS with client certificates required when the cluster uses TLS.
 */
final class WeightServer implements AutoCloseable {

    static final String PATH = "/weights/";
    static final String CHECKSUM_HEADER = "X-Carrot-Sha256";

    private static final System.Logger LOG = System.getLogger(WeightServer.class.getName());

    private final HttpServer server;
    private final String url;

    private WeightServer(HttpServer server, String url) {
        this.server = server;
        this.url = url;
    }

    /** Listens on the cluster host, on the configured port or a free one. */
    static WeightServer start(Vertx vertx, ClusterOptions options, ClusterSecret secret, WeightPublisher weights) {
        HttpServerOptions http = new HttpServerOptions().setHost(options.host()).setPort(options.weightsPort());
        TlsSettings tls = options.tls();
        if (tls != null) {
            http.setSsl(true)
                    .setKeyCertOptions(new PfxOptions().setPath(tls.keyStore().toString()).setPassword(tls.password()))
                    .setTrustOptions(new PfxOptions().setPath(tls.trustStore().toString())
                            .setPassword(tls.password()))
                    .setClientAuth(ClientAuth.REQUIRED);
        }
        HttpServer server = vertx.createHttpServer(http).requestHandler(request -> serve(request, secret, weights));
        try {
            server.listen().await();
        } catch (Exception e) {
            throw new RolloutException("could not open the weight endpoint on " + options.host() + ":"
                    + options.weightsPort() + ": " + e.getMessage(), e);
        }
        String url = (tls != null ? "https" : "http") + "://" + options.host() + ":" + server.actualPort() + PATH;
        return new WeightServer(server, url);
    }

    /** Where workers fetch versions: {@code url + dir + "/" + file}. */
    String url() {
        return url;
    }

    private static void serve(HttpServerRequest request, ClusterSecret secret, WeightPublisher weights) {
        if (!secret.admits(request.getHeader("Authorization"))) {
            LOG.log(System.Logger.Level.WARNING, () -> "refused a weights request from " + request.remoteAddress()
                    + " without the cluster secret");
            request.response().setStatusCode(401).putHeader("WWW-Authenticate", "Bearer").end();
            return;
        }
        if (request.method() != HttpMethod.GET) {
            request.response().setStatusCode(405).putHeader("Allow", "GET").end();
            return;
        }
        String path = request.path();
        String[] parts = path.startsWith(PATH) ? path.substring(PATH.length()).split("/", -1) : new String[0];
        WeightPublisher.Stored stored = parts.length == 2 ? weights.file(parts[0], parts[1]) : null;
        if (stored == null) {
            request.response().setStatusCode(404).end("no such weights file: " + path);
            return;
        }
        request.response().putHeader(CHECKSUM_HEADER, stored.file().sha256()).sendFile(stored.path().toString());
    }

    @Override
    public void close() {
        server.close().await();
    }
}
