package org.vcrecovery.zabbix.sender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ZbxdProtocolTest {

    static Stream<Arguments> payloads() {
        byte[] large = new byte[(1 << 20) + 12345];
        Arrays.fill(large, (byte) 'x');
        return Stream.of(
                Arguments.of("empty", new byte[0], false),
                Arguments.of("utf-8", "{\"key\":\"温度[ü]\",\"value\":\"ж🙂\"}".getBytes(StandardCharsets.UTF_8), false),
                Arguments.of("over 1 MiB", large, false),
                Arguments.of("large-packet flag", "{\"a\":1}".getBytes(StandardCharsets.UTF_8), true),
                Arguments.of("large-packet flag, over 1 MiB", large, true));
    }

    @ParameterizedTest(name = "{0} survives a write and a read")
    @MethodSource("payloads")
    void frameRoundTrips(String name, byte[] data, boolean large) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ZbxdProtocol.writeFrame(out, data, large);
        byte[] frame = out.toByteArray();

        assertThat(frame).hasSize((large ? 21 : 13) + data.length);
        assertThat(new String(frame, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("ZBXD");
        assertThat(frame[4]).isEqualTo((byte) (large ? 0x05 : 0x01));
        assertThat(ZbxdProtocol.readFrame(new ByteArrayInputStream(frame), 16 << 20)).isEqualTo(data);
    }

    @ParameterizedTest(name = "length {0} is written little-endian")
    @MethodSource("lengths")
    void headerLengthIsLittleEndian(int length, String hex) {
        byte[] h = new byte[13];
        ZbxdProtocol.putHeader(h, length);
        assertThat(HexFormat.of().formatHex(h)).isEqualTo("5a42584401" + hex + "00000000");
    }

    static Stream<Arguments> lengths() {
        return Stream.of(Arguments.of(0, "00000000"), Arguments.of(1, "01000000"),
                Arguments.of(0x01020304, "04030201"), Arguments.of(300, "2c010000"));
    }

    static Stream<Arguments> badFrames() {
        return Stream.of(
                Arguments.of("nothing at all", "", EOFException.class, "got 0 of 5 bytes"),
                Arguments.of("truncated header", "5a425844010500", EOFException.class, "frame header: got 2 of 8 bytes"),
                Arguments.of("truncated data", "5a42584401" + "05000000" + "00000000" + "7b7d", EOFException.class,
                        "frame data: got 2 of 5 bytes"),
                Arguments.of("an HTTP reply", hex("HTTP/1.1 400 Bad Request\r\n"), SenderProtocolException.class,
                        "expected ZBXD, got 48 54 54 50 2f 31 2e 31 20 34 30 30 20 42 61 64 (\"HTTP/1.1 400 Bad\")"),
                Arguments.of("unknown flags", "5a42584409" + "00000000" + "00000000", SenderProtocolException.class,
                        "unknown flags 0x09"),
                Arguments.of("flags without the protocol bit", "5a42584400" + "00000000" + "00000000",
                        SenderProtocolException.class, "unknown flags 0x00"),
                Arguments.of("over-long length", "5a42584401" + "01000001" + "00000000", SenderProtocolException.class,
                        "header declares 16777217 bytes, limit is 16777216"),
                Arguments.of("over-long large-packet length", "5a42584405" + "0000000000010000" + "0000000000000000",
                        SenderProtocolException.class, "header declares 1099511627776 bytes"),
                Arguments.of("negative large-packet length", "5a42584405" + "ffffffffffffffff" + "0000000000000000",
                        SenderProtocolException.class, "header declares 18446744073709551615 bytes"),
                Arguments.of("compressed, over-long uncompressed size", "5a42584403" + "00000000" + "00000002",
                        SenderProtocolException.class, "declares 33554432 uncompressed bytes"),
                Arguments.of("compressed, not zlib", "5a42584403" + "02000000" + "05000000" + "0102",
                        SenderProtocolException.class, "bad compressed frame"));
    }

    @ParameterizedTest(name = "{0} is refused with a message naming what was seen")
    @MethodSource("badFrames")
    void badFramesAreRefused(String name, String hex, Class<? extends IOException> type, String message) {
        byte[] bytes = HexFormat.of().parseHex(hex);
        assertThatThrownBy(() -> ZbxdProtocol.readFrame(new ByteArrayInputStream(bytes), 16 << 20))
                .isInstanceOf(type)
                .hasMessageContaining(message);
    }

    @ParameterizedTest(name = "a compressed frame of {0} bytes is inflated")
    @MethodSource("compressedSizes")
    void compressedFramesAreInflated(int size) throws IOException {
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++) data[i] = (byte) ('a' + i % 7);
        Deflater d = new Deflater();
        d.setInput(data);
        d.finish();
        byte[] z = new byte[size + 64];
        int zn = d.deflate(z);
        d.end();
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(new byte[] {'Z', 'B', 'X', 'D', 0x03});
        frame.write(le(zn));
        frame.write(le(size));
        frame.write(z, 0, zn);

        assertThat(ZbxdProtocol.readFrame(new ByteArrayInputStream(frame.toByteArray()), 16 << 20)).isEqualTo(data);
    }

    static Stream<Integer> compressedSizes() {
        return Stream.of(0, 1, 1000, 2 << 20);
    }

    @ParameterizedTest(name = "a compressed frame claiming {0} bytes more than it holds is refused")
    @MethodSource("compressedSizes")
    void compressedFrameWithWrongSizeIsRefused(int extra) throws IOException {
        byte[] data = "{\"response\":\"success\"}".getBytes(StandardCharsets.UTF_8);
        Deflater d = new Deflater();
        d.setInput(data);
        d.finish();
        byte[] z = new byte[128];
        int zn = d.deflate(z);
        d.end();
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(new byte[] {'Z', 'B', 'X', 'D', 0x03});
        frame.write(le(zn));
        frame.write(le(data.length + 1 + extra));
        frame.write(z, 0, zn);

        assertThatThrownBy(() -> ZbxdProtocol.readFrame(new ByteArrayInputStream(frame.toByteArray()), 16 << 20))
                .isInstanceOf(SenderProtocolException.class)
                .hasMessageContaining("zlib data gave " + data.length);
    }

    private static byte[] le(int v) {
        return new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
    }

    private static String hex(String s) {
        return HexFormat.of().formatHex(s.getBytes(StandardCharsets.US_ASCII));
    }
}
