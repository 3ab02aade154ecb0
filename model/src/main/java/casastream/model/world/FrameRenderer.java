package casastream.model.world;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws a stream's frames by direct rasterisation: a shaded background, the objects back to front
 * with 4x4 supersampled edges, a global brightness factor that drifts slowly, and per-pixel noise.
 * It also measures how much of each object is visible, in frame and not covered by objects in
 * front, which is the one rule behind captions, events and answers.
 */
final class FrameRenderer {

    /** Subsamples per pixel side for edge coverage. */
    private static final int SUB = 4;
    private static final float SUB_WEIGHT = 1f / (SUB * SUB);

    private final WorldConfig config;
    private final SplittableRandom random;
    private final int width;
    private final int height;
    /** The background's colour per row (the light falls off from top to bottom), before brightness: [height][3]. */
    private final float[][] backgroundRows;
    /** Maps a random byte to a triangular noise value in -noiseAmplitude..noiseAmplitude. */
    private final float[] noiseTable = new float[256];
    /** Working image, HWC float 0..255 before brightness. */
    private final float[] canvas;
    /** Per pixel, how much light still passes the objects drawn in front so far (1 = nothing in front). */
    private final float[] transmittance;
    private double brightness;

    FrameRenderer(WorldConfig config, SplittableRandom random) {
        this.config = config;
        this.random = random;
        this.width = config.width();
        this.height = config.height();
        this.canvas = new float[width * height * 3];
        this.transmittance = new float[width * height];
        this.backgroundRows = backgroundRows();
        for (int b = 0; b < 256; b++) {
            // two 4-bit uniforms summed: a cheap triangular distribution
            int sum = (b & 0x0F) + (b >>> 4);
            noiseTable[b] = (sum - 15) * config.noiseAmplitude() / 15f;
        }
        this.brightness = random.nextDouble(config.brightnessMin(), Math.nextUp(config.brightnessMax()));
    }

    private float[][] backgroundRows() {
        float grey = (float) random.nextDouble(60, 105);
        float[] tint = {(float) random.nextDouble(-8, 8), (float) random.nextDouble(-8, 8), (float) random.nextDouble(-8, 8)};
        float falloff = (float) random.nextDouble(-14, 14);
        float[][] rows = new float[height][3];
        for (int r = 0; r < height; r++) {
            float light = falloff * ((float) r / (height - 1) - 0.5f);
            for (int c = 0; c < 3; c++) {
                rows[r][c] = grey + tint[c] + light;
            }
        }
        return rows;
    }

    /** Moves the brightness factor one small step, reflecting at the configured bounds. */
    void driftBrightness() {
        double step = config.brightnessStep();
        if (step == 0) {
            return;
        }
        brightness += random.nextDouble(-step, step);
        if (brightness > config.brightnessMax()) {
            brightness = 2 * config.brightnessMax() - brightness;
        }
        if (brightness < config.brightnessMin()) {
            brightness = 2 * config.brightnessMin() - brightness;
        }
    }

    /**
     * Draws the objects (ordered back to front) into {@code rgb} (HWC, width*height*3) and returns,
     * per object in the same order, the fraction of its area that is visible.
     */
    double[] render(List<WorldObject> objects, byte[] rgb) {
        int n = objects.size();
        Coverage[] coverages = new Coverage[n];
        for (int i = 0; i < n; i++) {
            coverages[i] = coverage(objects.get(i));
        }
        double[] visible = visibleFractions(coverages);
        paintBackground();
        for (int i = 0; i < n; i++) {
            paint(objects.get(i), coverages[i]);
        }
        quantise(rgb);
        return visible;
    }

    private double[] visibleFractions(Coverage[] coverages) {
        Arrays.fill(transmittance, 1f);
        double[] visible = new double[coverages.length];
        for (int i = coverages.length - 1; i >= 0; i--) {
            Coverage cov = coverages[i];
            double seen = 0;
            for (int r = Math.max(0, cov.y0); r < Math.min(height, cov.y0 + cov.h); r++) {
                for (int c = Math.max(0, cov.x0); c < Math.min(width, cov.x0 + cov.w); c++) {
                    float a = cov.alpha[(r - cov.y0) * cov.w + (c - cov.x0)];
                    int p = r * width + c;
                    seen += a * transmittance[p];
                    transmittance[p] *= 1f - a;
                }
            }
            visible[i] = cov.total == 0 ? 0 : seen / cov.total;
        }
        return visible;
    }

    private void paintBackground() {
        int p = 0;
        for (int r = 0; r < height; r++) {
            float[] row = backgroundRows[r];
            for (int c = 0; c < width; c++) {
                canvas[p++] = row[0];
                canvas[p++] = row[1];
                canvas[p++] = row[2];
            }
        }
    }

    private void paint(WorldObject o, Coverage cov) {
        float red = clamp(o.type.colour().red() + o.shade[0]);
        float green = clamp(o.type.colour().green() + o.shade[1]);
        float blue = clamp(o.type.colour().blue() + o.shade[2]);
        for (int r = Math.max(0, cov.y0); r < Math.min(height, cov.y0 + cov.h); r++) {
            for (int c = Math.max(0, cov.x0); c < Math.min(width, cov.x0 + cov.w); c++) {
                float a = cov.alpha[(r - cov.y0) * cov.w + (c - cov.x0)];
                if (a == 0) {
                    continue;
                }
                int p = (r * width + c) * 3;
                canvas[p] += a * (red - canvas[p]);
                canvas[p + 1] += a * (green - canvas[p + 1]);
                canvas[p + 2] += a * (blue - canvas[p + 2]);
            }
        }
    }

    private void quantise(byte[] rgb) {
        float gain = (float) brightness;
        int i = 0;
        int total = canvas.length;
        while (i < total) {
            long bits = random.nextLong();
            for (int k = 0; k < 8 && i < total; k++, i++) {
                float v = canvas[i] * gain + noiseTable[(int) (bits >>> (8 * k)) & 0xFF];
                rgb[i] = (byte) Math.round(clamp(v));
            }
        }
    }

    /** Coverage of the object's whole bounding box, including the part outside the frame. */
    private static Coverage coverage(WorldObject o) {
        int x0 = (int) Math.floor(o.minX());
        int y0 = (int) Math.floor(o.minY());
        int w = (int) Math.ceil(o.maxX()) - x0;
        int h = (int) Math.ceil(o.maxY()) - y0;
        float[] alpha = new float[w * h];
        double total = 0;
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                int hits = 0;
                for (int sy = 0; sy < SUB; sy++) {
                    double py = y0 + r + (sy + 0.5) / SUB;
                    for (int sx = 0; sx < SUB; sx++) {
                        if (o.covers(x0 + c + (sx + 0.5) / SUB, py)) {
                            hits++;
                        }
                    }
                }
                float a = hits * SUB_WEIGHT;
                alpha[r * w + c] = a;
                total += a;
            }
        }
        return new Coverage(x0, y0, w, h, alpha, total);
    }

    private static float clamp(float v) {
        return v < 0 ? 0 : Math.min(v, 255f);
    }

    /** An object's per-pixel coverage over its bounding box, anchored at pixel (x0, y0). */
    private record Coverage(int x0, int y0, int w, int h, float[] alpha, double total) {
    }
}
