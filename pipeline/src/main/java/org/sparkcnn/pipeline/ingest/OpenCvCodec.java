package org.sparkcnn.pipeline.ingest;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;
import org.sparkcnn.pipeline.config.PipelineConfig.ImageConfig;

import java.io.IOException;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_GRAYSCALE;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_COLOR_2;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_COLOR_4;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_COLOR_8;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_GRAYSCALE_2;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_GRAYSCALE_4;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_GRAYSCALE_8;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * OpenCV (libjpeg-turbo, libpng) decoding through JavaCPP. For JPEGs it decodes in the DCT domain at 1/2,
 * 1/4 or 1/8 scale when the reduced image is still at least the target size (the cheap lever for 512-px
 * photos shrunk to 200 px), then resizes (area averaging when still shrinking by more than 2x, else bilinear). Honours EXIF
 * orientation, converts CMYK, palette, alpha and 16-bit images to 8-bit RGB or gray.
 */
final class OpenCvCodec {
    static {
        // One Spark task = one core: OpenCV's own thread pool would oversubscribe the executor.
        org.bytedeco.opencv.global.opencv_core.setNumThreads(1);
    }

    private OpenCvCodec() {}

    static byte[] decode(byte[] bytes, ImageHeader header, ImageConfig image) throws IOException {
        int factor = header.isJpeg() ? reduction(header, image) : 1;
        int flags = flags(image.channels() == 1, factor);
        try (BytePointer data = new BytePointer(bytes);
             Mat buffer = new Mat(1, bytes.length, org.bytedeco.opencv.global.opencv_core.CV_8UC1, data);
             Mat decoded = imdecode(buffer, flags)) {
            if (decoded == null || decoded.empty()) {
                throw new IOException("OpenCV could not decode the " + header.format() + " data");
            }
            int[] crop = CropWindow.of(decoded.cols(), decoded.rows(), image);
            try (Rect window = new Rect(crop[0], crop[1], crop[2], crop[3]);
                 Mat cropped = new Mat(decoded, window);
                 Mat resized = new Mat();
                 Size size = new Size(image.width(), image.height())) {
                // Area averaging only where it matters (shrinking by more than 2x); bilinear otherwise.
                boolean strongShrink = crop[2] > 2 * image.width() || crop[3] > 2 * image.height();
                resize(cropped, resized, size, 0, 0, strongShrink ? INTER_AREA : INTER_LINEAR);
                return toChannelMajorRgb(resized, image);
            }
        }
    }

    /** The largest of 1, 2, 4, 8 that keeps both sides (in either orientation) at or above the target. */
    static int reduction(ImageHeader header, ImageConfig image) {
        int shortSide = Math.min(header.width(), header.height());
        int longSide = Math.max(header.width(), header.height());
        int needShort = Math.min(image.width(), image.height());
        int needLong = Math.max(image.width(), image.height());
        if (image.resizeMode() == org.sparkcnn.pipeline.config.PipelineConfig.ResizeMode.CENTER_CROP) {
            needShort = needLong; // the crop may keep only the short side's extent
        }
        int factor = 1;
        for (int f : new int[]{2, 4, 8}) {
            if (shortSide / f >= needShort && longSide / f >= needLong) {
                factor = f;
            }
        }
        return factor;
    }

    private static int flags(boolean gray, int factor) {
        return switch (factor) {
            case 2 -> gray ? IMREAD_REDUCED_GRAYSCALE_2 : IMREAD_REDUCED_COLOR_2;
            case 4 -> gray ? IMREAD_REDUCED_GRAYSCALE_4 : IMREAD_REDUCED_COLOR_4;
            case 8 -> gray ? IMREAD_REDUCED_GRAYSCALE_8 : IMREAD_REDUCED_COLOR_8;
            default -> gray ? IMREAD_GRAYSCALE : IMREAD_COLOR;
        };
    }

    /** OpenCV's interleaved BGR (or gray) to our channel-major RGB. */
    private static byte[] toChannelMajorRgb(Mat mat, ImageConfig image) {
        int plane = image.height() * image.width();
        int channels = image.channels();
        byte[] interleaved = new byte[plane * channels];
        mat.data().get(interleaved);
        if (channels == 1) {
            return interleaved;
        }
        byte[] out = new byte[interleaved.length];
        for (int i = 0; i < plane; i++) {
            out[i] = interleaved[3 * i + 2];
            out[plane + i] = interleaved[3 * i + 1];
            out[2 * plane + i] = interleaved[3 * i];
        }
        return out;
    }
}
