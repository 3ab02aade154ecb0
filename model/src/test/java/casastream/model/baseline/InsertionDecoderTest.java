package casastream.model.baseline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import casastream.model.CasaConfig;
import casastream.model.CasaModel;
import casastream.model.TinyModels;
import casastream.model.decode.FrameText;
import casastream.model.nn.InsertionCache;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class InsertionDecoderTest {

    @Test
    void theInsertionCacheGrowsWithEveryFrame() {
        CasaConfig config = TinyModels.config();
        int frames = 6;
        try (CasaModel model = CasaModel.create(config, 12); NDManager manager = model.manager().newSubManager()) {
            InsertionDecoder decoder = new InsertionDecoder(model);
            long bytesPerToken = 2L * config.decoderLayers() * config.width() * Float.BYTES; // keys + values, one stream
            int atLeast = config.imageTokens() + 2;                                      // image, two markers
            int atMost = config.imageTokens() + config.textTail() + config.eventTokens();
            try (InsertionCache cache = decoder.open(manager, 1, frames)) {
                int previous = 0;
                for (int frame = 1; frame <= frames; frame++) {
                    try (NDManager frameManager = manager.newSubManager()) {
                        NDArray pixels = frameManager.randomUniform(-1, 1, new Shape(1, 3, config.imageSize(), config.imageSize()));
                        List<FrameText> texts = decoder.step(frameManager, cache, model.vision().forward(pixels));
                        assertThat(texts).hasSize(1);
                    }
                    int grown = cache.length() - previous;
                    assertThat(grown).as("tokens cached by frame %d", frame).isBetween(atLeast, atMost);
                    assertThat(cache.bytes()).isEqualTo(cache.length() * bytesPerToken);
                    previous = cache.length();
                }
                assertThat(cache.length()).isGreaterThanOrEqualTo(frames * atLeast);
                // preallocated and doubled when full: each cached token was copied at most once so far, and the room
                // left is at most what is filled (or the first allocation)
                assertThat(cache.copiedTokens()).isLessThanOrEqualTo(cache.length());
                assertThat(cache.allocatedBytes()).isLessThanOrEqualTo(
                        Math.max(2 * cache.bytes(), 2L * config.decoderLayers() * config.width() * Float.BYTES * 256));
            }
        }
    }
}
