package org.vcrecovery.dns;

import java.nio.ByteBuffer;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.MacSpi;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC (RFC 2104) over {@link MessageDigest}, as a {@link Mac} for dnsjava's {@code TSIG(Mac, Name)}.
 *
 * <p>Why not {@code Mac.getInstance}: the JCE's first use costs 15-30 ms of CPU in a fresh JVM
 * (JceSecurity, crypto policy files, provider verification), on the critical path of every
 * {@code vcr} call that signs a DNS message; the digests come from the provider list dnsjava's
 * SecureRandom has already loaded, for about 0.1 ms. Same bytes as the JCE's HmacSHA256 etc.
 * (HmacTest checks every algorithm against it).
 *
 * <p>dnsjava clones the Mac it is given for every message it signs or verifies and never updates
 * the original, so one instance can serve concurrent calls. The returned Mac has no provider
 * ({@link Mac#getProvider()} is null).
 */
final class Hmac extends Mac {
    private Hmac(Spi spi, String algorithm) {
        super(spi, null, algorithm);
    }

    /** An initialised Mac for {@code algorithm} keyed with {@code secret} (not empty). */
    static Mac of(TsigKey.Algorithm algorithm, byte[] secret) {
        Mac mac;
        try {
            mac = new Hmac(new Spi(MessageDigest.getInstance(algorithm.digest()), algorithm.blockLength()),
                    algorithm.jcaName());
            mac.init(new SecretKeySpec(secret, algorithm.jcaName()));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            // every JDK has the SUN provider's MD5 and SHA digests
            throw new IllegalStateException("no " + algorithm.digest() + " digest in this JVM", e);
        }
        return mac;
    }

    /** The HMAC construction; the same shape as the JDK's own HmacCore (one digest, lazy inner pad). */
    static final class Spi extends MacSpi implements Cloneable {
        private MessageDigest md;
        private final int blockLength;
        private byte[] innerPad;
        private byte[] outerPad;
        private boolean first = true; // the inner pad is not yet in md

        Spi(MessageDigest md, int blockLength) {
            this.md = md;
            this.blockLength = blockLength;
        }

        @Override
        protected int engineGetMacLength() {
            return md.getDigestLength();
        }

        @Override
        protected void engineInit(Key key, AlgorithmParameterSpec params) throws InvalidKeyException {
            if (params != null) throw new InvalidKeyException("HMAC takes no parameters");
            byte[] encoded = key == null ? null : key.getEncoded();
            if (encoded == null) throw new InvalidKeyException("key has no encoded form");
            md.reset();
            byte[] k = encoded.length > blockLength ? md.digest(encoded) : encoded;
            innerPad = new byte[blockLength];
            outerPad = new byte[blockLength];
            for (int i = 0; i < blockLength; i++) {
                byte b = i < k.length ? k[i] : 0;
                innerPad[i] = (byte) (b ^ 0x36);
                outerPad[i] = (byte) (b ^ 0x5c);
            }
            Arrays.fill(encoded, (byte) 0);
            Arrays.fill(k, (byte) 0);
            first = true;
        }

        @Override
        protected void engineUpdate(byte input) {
            start();
            md.update(input);
        }

        @Override
        protected void engineUpdate(byte[] input, int offset, int len) {
            start();
            md.update(input, offset, len);
        }

        @Override
        protected void engineUpdate(ByteBuffer input) {
            start();
            md.update(input);
        }

        @Override
        protected byte[] engineDoFinal() {
            start();
            byte[] inner = md.digest();
            md.update(outerPad);
            byte[] result = md.digest(inner);
            first = true;
            return result;
        }

        @Override
        protected void engineReset() {
            if (!first) {
                md.reset();
                first = true;
            }
        }

        @Override
        public Object clone() throws CloneNotSupportedException {
            Spi copy = (Spi) super.clone();
            copy.md = (MessageDigest) md.clone();
            return copy; // the pads are never written after init: shared
        }

        private void start() {
            if (first) {
                md.update(innerPad);
                first = false;
            }
        }
    }
}
