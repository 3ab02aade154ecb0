package casastream.model;

/** What a fusion layer attends to (design point D2 of the paper). */
public enum FusionContext {
    /** Plain cross-attention: the current frame's image tokens only. */
    IMAGE_ONLY,
    /** CASA: one softmax over the frame's image tokens and the earlier text tokens of the same window. */
    TEXT_AND_IMAGE
}
