package casastream.cli.tools.produce;

import casastream.schemas.FrameEncoding;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Encodes pictures for the {@code frames} topic under a byte limit. The first attempt uses the
 * preferred encoding (PNG keeps synthetic frames exact; JPEG suits camera pictures). A picture over
 * the limit is, when allowed, re-encoded as JPEG at falling quality and then at halved sizes; when
 * not allowed, or when even the smallest attempt is too large, it is refused with a message that
 * says how to let it through.
 */
public final class FrameEncoder {

  /** The encoded picture and the size it was encoded at (smaller than the source if re-encoded). */
  public record Encoded(FrameEncoding encoding, byte[] bytes, int width, int height) {}

  private static final float FIRST_JPEG_QUALITY = 0.9f;
  private static final List<Float> JPEG_QUALITIES = List.of(0.75f, 0.6f, 0.45f, 0.3f);
  /** Re-encoding never shrinks a picture below this side: the model sees 64x64 pixels anyway. */
  private static final int MIN_SIDE = 32;

  private final FrameEncoding preferred;
  private final int maxImageBytes;
  private final boolean reencode;

  /**
   * @param preferred JPEG or PNG
   * @param maxImageBytes the largest encoded image that fits in a message
   * @param reencode whether an oversized picture may be re-encoded smaller instead of refused
   */
  public FrameEncoder(FrameEncoding preferred, int maxImageBytes, boolean reencode) {
    if (preferred != FrameEncoding.JPEG && preferred != FrameEncoding.PNG) {
      throw new IllegalArgumentException("Frames are encoded as JPEG or PNG, not " + preferred);
    }
    if (maxImageBytes <= 0) {
      throw new IllegalArgumentException("The image size limit must be positive, was " + maxImageBytes);
    }
    this.preferred = preferred;
    this.maxImageBytes = maxImageBytes;
    this.reencode = reencode;
  }

  public int maxImageBytes() {
    return maxImageBytes;
  }

  public Encoded encode(BufferedImage image) throws FrameTooLargeException {
    BufferedImage rgb = toRgb(image);
    byte[] first = preferred == FrameEncoding.PNG ? png(rgb) : jpeg(rgb, FIRST_JPEG_QUALITY);
    if (first.length <= maxImageBytes) {
      return new Encoded(preferred, first, rgb.getWidth(), rgb.getHeight());
    }
    if (!reencode) {
      throw new FrameTooLargeException("A " + rgb.getWidth() + "x" + rgb.getHeight() + " picture is "
          + first.length + " bytes as " + preferred + ", over the limit of " + maxImageBytes
          + " bytes for the frames topic: allow re-encoding (--oversize reencode) or raise the topic's"
          + " max.message.bytes (README.md, Kafka settings for large frames)");
    }
    for (BufferedImage scaled = rgb; ; scaled = half(scaled)) {
      for (float quality : JPEG_QUALITIES) {
        byte[] bytes = jpeg(scaled, quality);
        if (bytes.length <= maxImageBytes) {
          return new Encoded(FrameEncoding.JPEG, bytes, scaled.getWidth(), scaled.getHeight());
        }
      }
      if (Math.min(scaled.getWidth(), scaled.getHeight()) / 2 < MIN_SIDE) {
        throw new FrameTooLargeException("A " + rgb.getWidth() + "x" + rgb.getHeight() + " picture does"
            + " not fit in " + maxImageBytes + " bytes even as a " + scaled.getWidth() + "x"
            + scaled.getHeight() + " JPEG at quality " + JPEG_QUALITIES.get(JPEG_QUALITIES.size() - 1)
            + ": raise the topic's max.message.bytes (README.md, Kafka settings for large frames)");
      }
    }
  }

  /** Converts any picture (grey, indexed, with alpha, BGR) to plain 8-bit RGB, which every encoder writes. */
  static BufferedImage toRgb(BufferedImage image) {
    if (image.getType() == BufferedImage.TYPE_3BYTE_BGR || image.getType() == BufferedImage.TYPE_INT_RGB) {
      return image;
    }
    BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = rgb.createGraphics();
    try {
      g.drawImage(image, 0, 0, null);
    } finally {
      g.dispose();
    }
    return rgb;
  }

  private static BufferedImage half(BufferedImage image) {
    int width = Math.max(1, image.getWidth() / 2);
    int height = Math.max(1, image.getHeight() / 2);
    BufferedImage smaller = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = smaller.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(image, 0, 0, width, height, null);
    } finally {
      g.dispose();
    }
    return smaller;
  }

  private static byte[] png(BufferedImage image) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, "png", out)) {
        throw new IllegalStateException("No PNG writer in this Java runtime");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("PNG encoding failed in memory", e);
    }
    return out.toByteArray();
  }

  private static byte[] jpeg(BufferedImage image, float quality) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality);
      writer.setOutput(stream);
      writer.write(null, new IIOImage(image, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException("JPEG encoding failed in memory", e);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }
}
