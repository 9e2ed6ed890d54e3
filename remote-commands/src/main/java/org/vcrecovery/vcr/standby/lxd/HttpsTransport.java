package org.vcrecovery.vcr.standby.lxd;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/** {@link LxdTransport} over java.net.http: HTTPS with a client certificate, or plain HTTP (tests, local proxies). */
final class HttpsTransport implements LxdTransport {
    private final URI base;
    private final HttpClient client;

    HttpsTransport(URI base, SSLContext ssl) {
        this.base = base;
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5));
        if (ssl != null) b.sslContext(ssl);
        this.client = b.build();
    }

    @Override
    public Response exchange(String method, String pathAndQuery, String jsonBody, Duration timeout) throws IOException {
        HttpRequest.Builder rb = HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(timeout)
                .header("Accept", "application/json")
                .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(jsonBody));
        if (jsonBody != null) rb.header("Content-Type", "application/json");
        try {
            HttpResponse<String> r = client.send(rb.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public String describe() {
        return base.toString();
    }

    @Override
    public void close() {
        // HttpClient (Java 17) has no close; its threads are daemons.
    }
}
