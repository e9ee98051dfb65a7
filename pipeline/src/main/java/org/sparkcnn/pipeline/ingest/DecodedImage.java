package org.sparkcnn.pipeline.ingest;

/**
 * The outcome of decoding one file: either pixels ({@code channels x height x width}, uint8 in a byte
 * array, channel-major, RGB order) or a rejection reason with a message.
 */
public record DecodedImage(byte[] pixels, String rejectReason, String rejectMessage) {
    public static DecodedImage ok(byte[] pixels) {
        return new DecodedImage(pixels, null, null);
    }

    public static DecodedImage rejected(String reason, String message) {
        return new DecodedImage(null, reason, message);
    }

    public boolean isOk() {
        return pixels != null;
    }
}
