package casastream.cli.tools.produce;

import java.awt.image.BufferedImage;

/**
 * One picture from a frame source.
 *
 * @param image the picture; owned by the receiver
 * @param mediaMillis its position in the source's own timeline (a video's presentation time, or
 *     the index times the frame interval for sources without one), from 0
 */
public record SourceImage(BufferedImage image, long mediaMillis) {}
