package org.vcrecovery.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.TSIG;

/**
 * Hmac gives the JCE's bytes for every TSIG algorithm: the RFC 4231 / RFC 2202 vectors, random
 * keys and messages fed in random pieces, clone() and reset() as dnsjava uses them, and TSIG
 * signatures that dnsjava's own (JCE-based) TSIG accepts both ways.
 */
class HmacTest {
    private static final HexFormat HEX = HexFormat.of();

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "HMAC_SHA224, RFC 4231 1, 0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b, 4869205468657265, 896fb1128abbdf196832107cd49df33f47b4b1169912ba4f53684b22",
            "HMAC_SHA224, RFC 4231 2, 4a656665, 7768617420646f2079612077616e7420666f72206e6f7468696e673f, a30e01098bc6dbbf45690f3a7e9e6d0f8bbea2a39e6148008fd05e44",
            "HMAC_SHA224, RFC 4231 3, aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd, 7fb3cb3588c6c1f6ffa9694d7d6ad2649365b0c1f65d69d1ec8333ea",
            "HMAC_SHA224, RFC 4231 4, 0102030405060708090a0b0c0d0e0f10111213141516171819, cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd, 6c11506874013cac6a2abc1bb382627cec6a90d86efc012de7afec5a",
            "HMAC_SHA224, RFC 4231 5, 0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c, 546573742057697468205472756e636174696f6e, 0e2aea68a90c8d37c988bcdb9fca6fa8",
            "HMAC_SHA224, RFC 4231 6, aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, 54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a65204b6579202d2048617368204b6579204669727374, 95e9a0db962095adaebe9b2d6f0dbce2d499f112f2d2b7273fa6870e",
            "HMAC_SHA224, RFC 4231 7, aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, 5468697320697320612074657374207573696e672061206c6172676572207468616e20626c6f636b2d73697a65206b657920616e642061206c6172676572207468616e20626c6f636b2d73697a6520646174612e20546865206b6579206e6565647320746f20626520686173686564206265666f7265206265696e6720757365642062792074686520484d414320616c676f726974686d2e, 3a854166ac5d9f023f54d517d0b39dbd946770db9c2b95c9f6f565d1",
            "HMAC_SHA256, RFC 4231 1, 0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b, 4869205468657265, b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
            "HMAC_SHA256, RFC 4231 2, 4a656665, 7768617420646f2079612077616e7420666f72206e6f7468696e673f, 5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
            "HMAC_SHA256, RFC 4231 3, aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd, 773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
            "HMAC_SHA256, RFC 4231 4, 0102030405060708090a0b0c0d0e0f10111213141516171819, cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd, 82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
            "HMAC_SHA256, RFC 4231 5, 0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c, 546573742057697468205472756e636174696f6e, a3b6167473100ee06e0c796c2955552b",
            "HMAC_SHA256, RFC 4231 6, aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, 54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a65204b6579202d2048617368204b6579204669727374, 60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
            "HMAC_SHA256, RFC 4231 7, aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, 5468697320697320612074657374207573696e672061206c6172676572207468616e20626c6f636b2d73697a65206b657920616e642061206c6172676572207468616e20626c6f636b2d73697a6520646174612e20546865206b6579206e6565647320746f20626520686173686564206265666f7265206265696e6720757365642062792074686520484d414320616c676f726974686d2e, 9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
            "HMAC_SHA384, RFC 4231 1, 0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b, 4869205468657265, afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6",
            "HMAC_SHA384, RFC 4231 2, 4a656665, 7768617420646f2079612077616e7420666f72206e6f7468696e673f, af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649",
            "HMAC_SHA384, RFC 4231 3, aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd, 88062608d3e6ad8a0aa2ace014c8a86f0aa635d947ac9febe83ef4e55966144b2a5ab39dc13814b94e3ab6e101a34f27",
            "HMAC_SHA384, RFC 4231 4, 0102030405060708090a0b0c0d0e0f10111213141516171819, cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd, 3e8a69b7783c25851933ab6290af6ca77a9981480850009cc5577c6e1f573b4e6801dd23c4a7d679ccf8a386c674cffb",
            "HMAC_SHA384, RFC 4231 5, 0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c, 546573742057697468205472756e636174696f6e, 3abf34c3503b2a23a46efc619baef897",
            "HMAC_SHA384, RFC 4231 6, aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, 54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a65204b6579202d2048617368204b6579204669727374, 4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c60c2ef6ab4030fe8296248df163f44952",
            "HMAC_SHA384, RFC 4231 7, aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, 5468697320697320612074657374207573696e672061206c6172676572207468616e20626c6f636b2d73697a65206b657920616e642061206c6172676572207468616e20626c6f636b2d73697a6520646174612e20546865206b6579206e6565647320746f20626520686173686564206265666f7265206265696e6720757365642062792074686520484d414320616c676f726974686d2e, 6617178e941f020d351e2f254e8fd32c602420feb0b8fb9adccebb82461e99c5a678cc31e799176d3860e6110c46523e",
            "HMAC_SHA512, RFC 4231 1, 0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b, 4869205468657265, 87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854",
            "HMAC_SHA512, RFC 4231 2, 4a656665, 7768617420646f2079612077616e7420666f72206e6f7468696e673f, 164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737",
            "HMAC_SHA512, RFC 4231 3, aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd, fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb",
            "HMAC_SHA512, RFC 4231 4, 0102030405060708090a0b0c0d0e0f10111213141516171819, cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd, b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3dba91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd",
            "HMAC_SHA512, RFC 4231 5, 0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c, 546573742057697468205472756e636174696f6e, 415fad6271580a531d4179bc891d87a6",
            "HMAC_SHA512, RFC 4231 6, aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, 54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a65204b6579202d2048617368204b6579204669727374, 80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598",
            "HMAC_SHA512, RFC 4231 7, aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, 5468697320697320612074657374207573696e672061206c6172676572207468616e20626c6f636b2d73697a65206b657920616e642061206c6172676572207468616e20626c6f636b2d73697a6520646174612e20546865206b6579206e6565647320746f20626520686173686564206265666f7265206265696e6720757365642062792074686520484d414320616c676f726974686d2e, e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58",
            "HMAC_MD5, RFC 2202 1, 0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b, 4869205468657265, 9294727a3638bb1c13f48ef8158bfc9d",
            "HMAC_MD5, RFC 2202 2, 4a656665, 7768617420646f2079612077616e7420666f72206e6f7468696e673f, 750c783e6ab0b503eaa86e310a5db738",
            "HMAC_MD5, RFC 2202 3, aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd, 56be34521d144c88dbb8c733f0e8b3f6",
            "HMAC_MD5, RFC 2202 4, 0102030405060708090a0b0c0d0e0f10111213141516171819, cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd, 697eaf0aca3a3aea3a75164746ffaa79",
            "HMAC_MD5, RFC 2202 5, 0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c, 546573742057697468205472756e636174696f6e, 56461ef2342edc00f9bab995690efd4c",
            "HMAC_MD5, RFC 2202 6, aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, 54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a65204b6579202d2048617368204b6579204669727374, 6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd",
            "HMAC_MD5, RFC 2202 7, aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, 54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a65204b657920616e64204c6172676572205468616e204f6e6520426c6f636b2d53697a652044617461, 6f630fad67cda0ee1fb1f562db3aa53e",
            "HMAC_SHA1, RFC 2202 1, 0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b, 4869205468657265, b617318655057264e28bc0b6fb378c8ef146be00",
            "HMAC_SHA1, RFC 2202 2, 4a656665, 7768617420646f2079612077616e7420666f72206e6f7468696e673f, effcdf6ae5eb2fa2d27416d5f184df9c259a7c79",
            "HMAC_SHA1, RFC 2202 3, aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd, 125d7342b9ac11cd91a39af48aa17b4f63f175d3",
            "HMAC_SHA1, RFC 2202 4, 0102030405060708090a0b0c0d0e0f10111213141516171819, cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd, 4c9007f4026250c6bc8414f9bf50c86c2d7235da",
            "HMAC_SHA1, RFC 2202 5, 0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c, 546573742057697468205472756e636174696f6e, 4c1a03424b55e07fe7f27be1d58bb9324a9a5a04",
            "HMAC_SHA1, RFC 2202 6, aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, 54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a65204b6579202d2048617368204b6579204669727374, aa4ae5e15272d00e95705637ce8a3b55ed402112",
            "HMAC_SHA1, RFC 2202 7, aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, 54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a65204b657920616e64204c6172676572205468616e204f6e6520426c6f636b2d53697a652044617461, e8e99d0f45237d786d6bbaa7965c7808bbff1a91"
    })
    void matchesThePublishedTestVectors(TsigKey.Algorithm alg, String source, String key, String data, String expected) {
        byte[] mac = Hmac.of(alg, HEX.parseHex(key)).doFinal(HEX.parseHex(data));
        // RFC 4231 case 5 publishes the first 128 bits only
        assertThat(HEX.formatHex(Arrays.copyOf(mac, expected.length() / 2))).as(source).isEqualTo(expected);
        assertThat(mac).isEqualTo(jce(alg, HEX.parseHex(key)).doFinal(HEX.parseHex(data)));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TsigKey.Algorithm.class)
    void randomKeysAndMessagesInRandomPiecesGiveTheJcesBytes(TsigKey.Algorithm alg) {
        Random random = new Random(alg.ordinal() * 7919L + 17);
        for (int i = 0; i < 300; i++) {
            byte[] key = bytes(random, 1 + random.nextInt(300)); // shorter and longer than the block
            byte[] message = bytes(random, random.nextInt(1200));
            Mac ours = Hmac.of(alg, key);
            Mac jce = jce(alg, key);
            feedInPieces(ours, message, random);
            assertThat(ours.doFinal()).as("key %d bytes, message %d bytes", key.length, message.length)
                    .isEqualTo(jce.doFinal(message));
            // doFinal leaves it ready for the next message with the same key
            assertThat(ours.doFinal(message)).isEqualTo(jce.doFinal(message));
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TsigKey.Algorithm.class)
    void aCloneContinuesIndependentlyOfItsOriginal(TsigKey.Algorithm alg) throws CloneNotSupportedException {
        byte[] key = utf8("clone-key");
        Mac prototype = Hmac.of(alg, key);
        Mac fresh = (Mac) prototype.clone(); // what dnsjava does for every message
        Mac midway = (Mac) prototype.clone();
        midway.update(utf8("common prefix, "));
        Mac branch = (Mac) midway.clone();
        midway.update(utf8("then one way"));
        branch.update(utf8("then another"));

        Mac jce = jce(alg, key);
        assertThat(midway.doFinal()).isEqualTo(jce.doFinal(utf8("common prefix, then one way")));
        assertThat(branch.doFinal()).isEqualTo(jce.doFinal(utf8("common prefix, then another")));
        assertThat(fresh.doFinal(utf8("x"))).isEqualTo(jce.doFinal(utf8("x")));
        assertThat(prototype.doFinal(utf8("y"))).as("the original was never written to").isEqualTo(jce.doFinal(utf8("y")));
        assertThat(fresh.getAlgorithm()).isEqualTo(alg.jcaName());
        assertThat(fresh.getMacLength()).isEqualTo(jce.getMacLength());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TsigKey.Algorithm.class)
    void resetDiscardsWhatWasFedSoFar(TsigKey.Algorithm alg) {
        byte[] key = utf8("reset-key");
        Mac ours = Hmac.of(alg, key);
        ours.update(utf8("to be forgotten"));
        ours.reset();
        ours.reset();
        assertThat(ours.doFinal(utf8("kept"))).isEqualTo(jce(alg, key).doFinal(utf8("kept")));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TsigKey.Algorithm.class)
    void dnsjavasOwnTsigAcceptsOurSignaturesAndWeAcceptItsReplies(TsigKey.Algorithm alg) throws Exception {
        TsigKey key = new TsigKey("interop-key", alg, utf8("interop-secret-0123456789"));
        TSIG ours = key.toTsig();
        TSIG theirs = new TSIG(alg.wireName(), Name.fromString(key.name()), utf8("interop-secret-0123456789"));

        Message request = UpdateMessages.query(Name.fromString("www.example.test."), RecordType.A.wireType());
        ours.apply(request, null);
        assertThat(request.getTSIG().getAlgorithm()).isEqualTo(alg.wireName());
        byte[] requestWire = request.toWire();
        Message received = new Message(requestWire);
        assertThat(theirs.verify(received, requestWire, null)).isEqualTo(Rcode.NOERROR);
        assertThat(received.isVerified()).isTrue();

        Message reply = new Message(received.getHeader().getID());
        reply.getHeader().setFlag(org.xbill.DNS.Flags.QR);
        reply.addRecord(received.getQuestion(), org.xbill.DNS.Section.QUESTION);
        theirs.apply(reply, received.getTSIG());
        byte[] replyWire = reply.toWire();
        Message answer = new Message(replyWire);
        assertThat(ours.verify(answer, replyWire, request.getTSIG())).isEqualTo(Rcode.NOERROR);
        assertThat(answer.isVerified()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TsigKey.Algorithm.class)
    void aReplySignedWithAnotherSecretIsBadsig(TsigKey.Algorithm alg) throws Exception {
        TsigKey key = new TsigKey("interop-key", alg, utf8("the-right-secret"));
        TSIG ours = key.toTsig();
        TSIG wrong = new TSIG(alg.wireName(), Name.fromString(key.name()), utf8("a-wrong-secret"));
        Message request = UpdateMessages.query(Name.fromString("www.example.test."), RecordType.A.wireType());
        ours.apply(request, null);
        Message reply = new Message(request.getHeader().getID());
        reply.getHeader().setFlag(org.xbill.DNS.Flags.QR);
        wrong.apply(reply, request.getTSIG());
        byte[] replyWire = reply.toWire();
        Message answer = new Message(replyWire);
        assertThat(ours.verify(answer, replyWire, request.getTSIG())).isEqualTo(Rcode.BADSIG);
        assertThat(answer.isVerified()).isFalse();
    }

    @Test
    void signingAndVerifyingInAFreshJvmNeverLoadsTheJceFramework() throws Exception {
        // JceSecurity (policy files, provider verification) is what a fresh vcr JVM pays 15-30 ms for
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:auto", "-Xlog:class+load=info", "-cp", System.getProperty("java.class.path"),
                SignAndVerify.class.getName()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out).contains("javax.crypto.Mac ", "org.xbill.DNS.TSIG ", "signed and verified")
                .doesNotContain("javax.crypto.JceSecurity");
    }

    /** Run by the test above in its own JVM: what DnsUpdater does with a key. */
    static final class SignAndVerify {
        public static void main(String[] args) throws Exception {
            TSIG tsig = new TsigKey("fresh-jvm-key", TsigKey.Algorithm.HMAC_SHA256, utf8("fresh-secret")).toTsig();
            Message request = UpdateMessages.query(Name.fromString("www.example.test."), RecordType.A.wireType());
            tsig.apply(request, null);
            Message reply = new Message(request.getHeader().getID());
            reply.getHeader().setFlag(org.xbill.DNS.Flags.QR);
            tsig.apply(reply, request.getTSIG());
            byte[] wire = reply.toWire();
            Message answer = new Message(wire);
            if (tsig.verify(answer, wire, request.getTSIG()) != Rcode.NOERROR || !answer.isVerified()) System.exit(1);
            System.out.println("signed and verified");
        }
    }

    private static void feedInPieces(Mac mac, byte[] message, Random random) {
        int i = 0;
        while (i < message.length) {
            int n = Math.min(message.length - i, random.nextInt(200));
            switch (random.nextInt(3)) {
                case 0 -> mac.update(message, i, n);
                case 1 -> mac.update(ByteBuffer.wrap(message, i, n));
                default -> {
                    mac.update(message[i]);
                    n = 1;
                }
            }
            i += n;
        }
    }

    private static Mac jce(TsigKey.Algorithm alg, byte[] key) {
        try {
            Mac m = Mac.getInstance(alg.jcaName());
            m.init(new SecretKeySpec(key, alg.jcaName()));
            return m;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
