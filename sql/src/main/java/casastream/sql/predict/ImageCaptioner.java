package casastream.sql.predict;

import casastream.operators.inference.FrameModel;
import casastream.operators.inference.FrameModelFactory;
import casastream.operators.inference.StreamRequest;
import casastream.operators.runtime.ComputeDevice;
import casastream.operators.runtime.DeviceSelector;
import casastream.operators.runtime.ModelLease;
import casastream.operators.runtime.SharedModels;
import casastream.operators.validation.RgbResizer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.flink.table.functions.FunctionContext;

/**
 * Captions images with a fresh memory each, through the model the TaskManager shares: decodes a
 * JPEG or PNG, resizes it as the job resizes frames, and runs one model step for a list of images.
 * As the job, it runs on a GPU of the TaskManager's external resource "gpu" when it has one, else
 * on the CPU.
 */
final class ImageCaptioner implements AutoCloseable {

  /** What a caption is when the image cannot be read: no row is lost, and the reason shows. */
  static final String UNREADABLE = "(unreadable image)";

  private final ModelLease<FrameModel> lease;
  private final FrameModel model;
  private final RgbResizer resizer;

  ImageCaptioner(FrameModelFactory factory, FunctionContext context) {
    ComputeDevice device = DeviceSelector.choose(context.getExternalResourceInfos(DeviceSelector.GPU_RESOURCE),
        factory.engineGpuCount(), context.getTaskInfo().getIndexOfThisSubtask());
    this.lease = SharedModels.acquire(factory.modelKey() + "@" + device, () -> factory.load(device),
        Duration.ofSeconds(30));
    this.model = lease.model();
    this.resizer = new RgbResizer(model.imageSize(), model.imageSize());
  }

  /** One caption per image, in order; an image that does not decode gets {@link #UNREADABLE}. */
  List<String> caption(List<byte[]> images) {
    List<StreamRequest> requests = new ArrayList<>();
    List<Integer> readable = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      byte[] rgb = rgb(images.get(i));
      if (rgb != null) {
        requests.add(new StreamRequest(null, rgb, List.of()));
        readable.add(i);
      }
    }
    List<String> captions = new ArrayList<>(java.util.Collections.nCopies(images.size(), UNREADABLE));
    if (!requests.isEmpty()) {
      var results = model.step(requests);
      for (int k = 0; k < readable.size(); k++) {
        captions.set(readable.get(k), results.get(k).caption());
      }
    }
    return captions;
  }

  private byte[] rgb(byte[] encoded) {
    if (encoded == null) {
      return null;
    }
    try {
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(encoded));
      return image == null ? null : resizer.toRgb(image);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  @Override
  public void close() {
    lease.close();
  }
}
