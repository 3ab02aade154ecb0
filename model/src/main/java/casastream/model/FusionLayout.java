package casastream.model;

/** Where the CASA fusion layers sit in the decoder (design point D3 of the paper). */
public enum FusionLayout {
    /** Every decoder layer runs self-attention and fusion side by side and sums their outputs. */
    PARALLEL,
    /** Every n-th decoder layer is a fusion layer instead of a self-attention layer. */
    REPLACE_EVERY_N
}
