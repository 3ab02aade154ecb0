package casastream.operators.validation;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.awt.image.SinglePixelPackedSampleModel;

/**
 * Resizes an image to the model's input size and returns its pixels as row-major RGB bytes
 * (height x width x 3). Large reductions go in halving steps so bilinear filtering never skips
 * source pixels (one bilinear step from 1920 to 64 columns would read 2 of every 30).
 */
public final class RgbResizer {

  private final int width;
  private final int height;

  public RgbResizer(int width, int height) {
    this.width = width;
    this.height = height;
  }

  /** (h, w) any colour model -> (height, width, 3) RGB bytes. */
  public byte[] toRgb(BufferedImage source) {
    if (source.getWidth() == width && source.getHeight() == height) {
      byte[] direct = sameSize(source);
      if (direct != null) {
        return direct;
      }
    }
    BufferedImage current = source;
    while (current.getWidth() >= 2 * width || current.getHeight() >= 2 * height) {
      current = draw(current, Math.max(width, current.getWidth() / 2),
          Math.max(height, current.getHeight() / 2));
    }
    BufferedImage target = draw(current, width, height);
    return bgrToRgb(((DataBufferByte) target.getRaster().getDataBuffer()).getData());
  }

  /** TYPE_3BYTE_BGR stores each pixel as B, G, R: a copy as R, G, B. */
  private static byte[] bgrToRgb(byte[] bgr) {
    byte[] rgb = new byte[bgr.length];
    for (int i = 0; i < bgr.length; i += 3) {
      rgb[i] = bgr[i + 2];
      rgb[i + 1] = bgr[i + 1];
      rgb[i + 2] = bgr[i];
    }
    return rgb;
  }

  /**
   * An image already at the target size needs no drawing (a same-size bilinear draw copies pixels
   * unchanged): its pixels are read straight from the decoder's buffer. Null for layouts other
   * than the two the decoders produce here (JPEG: 3-byte BGR, raw RGB: int RGB).
   */
  private static byte[] sameSize(BufferedImage source) {
    Raster raster = source.getRaster();
    if (raster.getParent() != null || raster.getMinX() != 0 || raster.getMinY() != 0) {
      return null;
    }
    int pixels = source.getWidth() * source.getHeight();
    if (source.getType() == BufferedImage.TYPE_3BYTE_BGR
        && raster.getDataBuffer() instanceof DataBufferByte buffer
        && raster.getSampleModel() instanceof PixelInterleavedSampleModel model
        && model.getScanlineStride() == 3 * source.getWidth()
        && buffer.getNumBanks() == 1 && buffer.getOffset() == 0 && buffer.getData().length == 3 * pixels) {
      return bgrToRgb(buffer.getData());
    }
    if (source.getType() == BufferedImage.TYPE_INT_RGB
        && raster.getDataBuffer() instanceof DataBufferInt buffer
        && raster.getSampleModel() instanceof SinglePixelPackedSampleModel model
        && model.getScanlineStride() == source.getWidth()
        && buffer.getNumBanks() == 1 && buffer.getOffset() == 0 && buffer.getData().length == pixels) {
      int[] packed = buffer.getData();
      byte[] rgb = new byte[3 * pixels];
      for (int p = 0, i = 0; p < pixels; p++, i += 3) {
        rgb[i] = (byte) (packed[p] >>> 16);
        rgb[i + 1] = (byte) (packed[p] >>> 8);
        rgb[i + 2] = (byte) packed[p];
      }
      return rgb;
    }
    return null;
  }

  private static BufferedImage draw(BufferedImage source, int toWidth, int toHeight) {
    BufferedImage target = new BufferedImage(toWidth, toHeight, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = target.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(source, 0, 0, toWidth, toHeight, null);
    } finally {
      g.dispose();
    }
    return target;
  }
}
