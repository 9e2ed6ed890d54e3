package org.vcrecovery.vcr.standby.lxd;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.vcrecovery.vcr.standby.StandbyException;

/**
 * Builds the TLS context for LXD from PEM files, with the JDK only: the client certificate,
 * its PKCS#8 private key ({@code BEGIN PRIVATE KEY}: RSA or EC; convert others with
 * {@code openssl pkcs8 -topk8 -nocrypt}), and optionally the server certificate to trust
 * (LXD's is self-signed) instead of the JDK's trust store. Errors name the file, never its content.
 */
final class PemTls {
    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");
    private static final char[] NO_PASSWORD = new char[0];

    private PemTls() {
    }

    static SSLContext context(Path clientCert, Path clientKey, Path serverCert) {
        try {
            KeyManagerFactory kmf = null;
            if (clientCert != null) {
                List<Certificate> chain = certificates(clientCert);
                PrivateKey key = privateKey(clientKey);
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                ks.setKeyEntry("client", key, NO_PASSWORD, chain.toArray(new Certificate[0]));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, NO_PASSWORD);
            }
            TrustManagerFactory tmf = null;
            if (serverCert != null) {
                KeyStore ts = KeyStore.getInstance("PKCS12");
                ts.load(null, null);
                int i = 0;
                for (Certificate c : certificates(serverCert)) ts.setCertificateEntry("server" + i++, c);
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(ts);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new StandbyException(StandbyException.Code.INVALID, "lxd: cannot set up TLS: " + e.getClass().getSimpleName());
        }
    }

    private static List<Certificate> certificates(Path file) {
        List<Certificate> certs = new ArrayList<>();
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            for (byte[] der : blocks(file, "CERTIFICATE")) certs.add(cf.generateCertificate(new ByteArrayInputStream(der)));
        } catch (GeneralSecurityException e) {
            throw new StandbyException(StandbyException.Code.INVALID, "lxd: " + file + " holds no valid X.509 certificate");
        }
        if (certs.isEmpty()) throw new StandbyException(StandbyException.Code.INVALID, "lxd: no CERTIFICATE block in " + file);
        return certs;
    }

    private static PrivateKey privateKey(Path file) {
        List<byte[]> keys = blocks(file, "PRIVATE KEY");
        if (keys.isEmpty()) {
            throw new StandbyException(StandbyException.Code.INVALID, "lxd: no 'BEGIN PRIVATE KEY' (PKCS#8) block in " + file
                    + ": convert it with openssl pkcs8 -topk8 -nocrypt");
        }
        for (String alg : new String[] {"EC", "RSA", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(keys.get(0)));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new StandbyException(StandbyException.Code.INVALID, "lxd: the key in " + file + " is not an EC, RSA or Ed25519 PKCS#8 key");
    }

    private static List<byte[]> blocks(Path file, String type) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new StandbyException(StandbyException.Code.INVALID, "lxd: cannot read " + file + ": " + e.getClass().getSimpleName());
        }
        List<byte[]> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            if (m.group(1).equals(type)) out.add(Base64.getMimeDecoder().decode(m.group(2)));
        }
        return out;
    }
}
