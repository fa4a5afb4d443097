package dev.octet.kernel;

/**
 * The window every convolution workload is specialised on (fp32 {@link ConvWorkload}, int8
 * {@link Int8ConvWorkload}): what code needs that only sizes outputs or names a workload, so that such code is
 * written once for both records.
 */
public interface ConvShape {
    int inChannels();

    int kernelH();

    int kernelW();

    int strideH();

    int strideW();

    int dilationH();

    int dilationW();

    /** The workload's stable key (as lowerings and tuning logs name it). */
    String key();
}
