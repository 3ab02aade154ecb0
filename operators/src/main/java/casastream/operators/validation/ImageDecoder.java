package casastream.operators.validation;

import casastream.schemas.DeadLetterReason;
import casastream.schemas.FrameEncoding;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Turns a frame's image bytes into an image, refusing what does not match the frame's declared
 * encoding and size. JPEG and PNG go through javax.imageio (TwelveMonkeys' JPEG reader when on
 * the classpath); the header's dimensions are read and checked BEFORE any pixel is decoded, so a
 * small file declaring a huge image (a decompression bomb) costs nothing.
 */
final class ImageDecoder {

  private final int maxWidth;
  private final int maxHeight;
  private final int targetWidth;
  private final int targetHeight;
  /** Readers kept between frames (this class is used by one thread); null until one succeeded. */
  private ImageReader jpegReader;
  private ImageReader pngReader;

  ImageDecoder(ValidationOptions options) {
    this.maxWidth = options.maxImageWidth();
    this.maxHeight = options.maxImageHeight();
    this.targetWidth = options.targetWidth();
    this.targetHeight = options.targetHeight();
  }

  /** Decodes the image; width and height are the frame's declared (already range-checked) size. */
  BufferedImage decode(byte[] bytes, FrameEncoding encoding, int width, int height)
      throws FrameRejection {
    if (bytes.length == 0) {
      throw new FrameRejection(DeadLetterReason.EMPTY_IMAGE, "The frame's image has zero bytes");
    }
    return switch (encoding) {
      case RAW_RGB -> rawRgb(bytes, width, height);
      case JPEG, PNG -> encoded(bytes, encoding, width, height);
      case UNKNOWN -> throw new FrameRejection(DeadLetterReason.UNSUPPORTED_ENCODING,
          "The frame's encoding is not one this job reads (JPEG, PNG, RAW_RGB)");
    };
  }

  private static BufferedImage rawRgb(byte[] bytes, int width, int height) throws FrameRejection {
    long expected = 3L * width * height;
    if (bytes.length != expected) {
      throw new FrameRejection(DeadLetterReason.RAW_SIZE_MISMATCH, "RAW_RGB frame of " + width + "x"
          + height + " must carry width*height*3 = " + expected + " bytes but carries " + bytes.length);
    }
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0, i = 0; y < height; y++) {
      for (int x = 0; x < width; x++, i += 3) {
        image.setRGB(x, y, (bytes[i] & 0xFF) << 16 | (bytes[i + 1] & 0xFF) << 8 | (bytes[i + 2] & 0xFF));
      }
    }
    return image;
  }

  private BufferedImage encoded(byte[] bytes, FrameEncoding declared, int width, int height)
      throws FrameRejection {
    ImageReader reader = null;
    boolean reusable = false;
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
      reader = cachedReader(in, declared);
      if (reader == null) {
        reader = readerFor(in, declared);
      }
      reader.setInput(in, true, true);
      checkHeader(reader.getWidth(0), reader.getHeight(0), width, height);
      List<String> warnings = new ArrayList<>();
      reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
      BufferedImage image = reader.read(0, subsampled(reader, width, height));
      checkWarnings(warnings);
      reusable = true;
      return image;
    } catch (FrameRejection rejection) {
      throw rejection;
    } catch (IOException | RuntimeException e) {
      // Image readers signal bad data with IIOException but also with runtime exceptions.
      boolean truncated = hasCause(e, EOFException.class) || looksTruncated(String.valueOf(e.getMessage()));
      throw new FrameRejection(truncated ? DeadLetterReason.TRUNCATED_IMAGE : DeadLetterReason.CORRUPT_IMAGE,
          "The " + declared + " image cannot be decoded: " + e.getMessage());
    } finally {
      if (reader != null) {
        release(reader, declared, reusable);
      }
    }
  }

  /**
   * The reader kept from an earlier frame of the same declared encoding, if its format's service
   * recognises these bytes; null otherwise (the full search of {@link #readerFor} then decides,
   * with its refusals). Creating a reader and asking every registered format per frame cost more
   * than decoding a small JPEG.
   */
  private ImageReader cachedReader(ImageInputStream in, FrameEncoding declared) throws IOException {
    ImageReader reader = declared == FrameEncoding.JPEG ? jpegReader : pngReader;
    if (reader == null) {
      return null;
    }
    ImageReaderSpi provider = reader.getOriginatingProvider();
    if (provider == null || !provider.canDecodeInput(in)) {
      return null;
    }
    if (declared == FrameEncoding.JPEG) {
      jpegReader = null;
    } else {
      pngReader = null;
    }
    return reader;
  }

  /**
   * Keeps a reader that decoded a good image for the next frame (reset: no input, no listeners);
   * one that failed is disposed, so no state from damaged data carries over.
   */
  private void release(ImageReader reader, FrameEncoding declared, boolean reusable) {
    if (!reusable) {
      reader.dispose();
      return;
    }
    reader.reset();
    ImageReader previous = declared == FrameEncoding.JPEG ? jpegReader : pngReader;
    if (previous != null) {
      previous.dispose();
    }
    if (declared == FrameEncoding.JPEG) {
      jpegReader = reader;
    } else {
      pngReader = reader;
    }
  }

  private static ImageReader readerFor(ImageInputStream in, FrameEncoding declared)
      throws IOException, FrameRejection {
    Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
    if (!readers.hasNext()) {
      throw new FrameRejection(DeadLetterReason.CORRUPT_IMAGE, "The frame declares " + declared
          + " but its bytes are not in any image format this job reads");
    }
    ImageReader reader = readers.next();
    String format = reader.getFormatName().toUpperCase(Locale.ROOT);
    boolean matches = declared == FrameEncoding.JPEG ? format.startsWith("JP") : format.equals("PNG");
    if (!matches) {
      reader.dispose();
      throw new FrameRejection(DeadLetterReason.ENCODING_MISMATCH,
          "The frame declares " + declared + " but its bytes are " + format);
    }
    return reader;
  }

  private void checkHeader(int headerWidth, int headerHeight, int width, int height)
      throws FrameRejection {
    if (headerWidth > maxWidth || headerHeight > maxHeight) {
      throw new FrameRejection(DeadLetterReason.DIMENSIONS_TOO_LARGE, "The image header declares "
          + headerWidth + "x" + headerHeight + ", above the limit of " + maxWidth + "x" + maxHeight
          + "; it was not decoded");
    }
    if (headerWidth != width || headerHeight != height) {
      throw new FrameRejection(DeadLetterReason.DIMENSION_MISMATCH, "The frame declares " + width
          + "x" + height + " but its image is " + headerWidth + "x" + headerHeight);
    }
  }

  /**
   * Reads only every n-th pixel of images far larger than the model input: the resizer would
   * average them away anyway, and decoding fewer pixels saves time and memory. Keeps at least
   * twice the target resolution so the final bilinear resize still has detail to work with.
   */
  private ImageReadParam subsampled(ImageReader reader, int width, int height) {
    ImageReadParam param = reader.getDefaultReadParam();
    int step = Math.max(1, Math.min(width / (2 * targetWidth), height / (2 * targetHeight)));
    param.setSourceSubsampling(step, step, 0, 0);
    return param;
  }

  /** JPEG decoders report truncated or damaged data as warnings and return a partly grey image. */
  private static void checkWarnings(List<String> warnings) throws FrameRejection {
    for (String warning : warnings) {
      if (looksTruncated(warning)) {
        throw new FrameRejection(DeadLetterReason.TRUNCATED_IMAGE, "The image is truncated: " + warning);
      }
      if (warning.toLowerCase(Locale.ROOT).contains("corrupt")) {
        throw new FrameRejection(DeadLetterReason.CORRUPT_IMAGE, "The image is damaged: " + warning);
      }
    }
  }

  /** The decoders' words for data that stops early: cut in the pixel data, or before it. */
  private static boolean looksTruncated(String message) {
    String lower = message.toLowerCase(Locale.ROOT);
    return lower.contains("truncat") || lower.contains("premature end") || lower.contains("no image data");
  }

  private static boolean hasCause(Throwable error, Class<? extends Throwable> type) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (type.isInstance(cause)) {
        return true;
      }
    }
    return false;
  }
}
