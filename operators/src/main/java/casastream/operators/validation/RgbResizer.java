package casastream.operators.validation;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/**
 * Resizes an image to the model's input size and returns its pixels as row-major RGB bytes
 * (height x width x 3). Large reductions go in halving steps so bilinear filtering never skips
 * source pixels (one bilinear step from 1920 to 64 columns would read 2 of every 30).
 */
final class RgbResizer {

  private final int width;
  private final int height;

  RgbResizer(int width, int height) {
    this.width = width;
    this.height = height;
  }

  /** (h, w) any colour model -> (height, width, 3) RGB bytes. */
  byte[] toRgb(BufferedImage source) {
    BufferedImage current = source;
    while (current.getWidth() >= 2 * width || current.getHeight() >= 2 * height) {
      current = draw(current, Math.max(width, current.getWidth() / 2),
          Math.max(height, current.getHeight() / 2));
    }
    BufferedImage target = draw(current, width, height);
    // TYPE_3BYTE_BGR stores each pixel as B, G, R: swap to R, G, B.
    byte[] bgr = ((DataBufferByte) target.getRaster().getDataBuffer()).getData();
    byte[] rgb = new byte[bgr.length];
    for (int i = 0; i < bgr.length; i += 3) {
      rgb[i] = bgr[i + 2];
      rgb[i + 1] = bgr[i + 1];
      rgb[i + 2] = bgr[i];
    }
    return rgb;
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
