package dev.octet.runtime;

import java.lang.foreign.MemorySegment;

/**
 * A compiled kernel, native or JVM: buffers, then scalar arguments, then the work range [begin, end) of its
 * parallel axis. The layout of buffers and the meaning of scalars are fixed by the template that made it.
 */
public interface Kernel {
    void invoke(MemorySegment[] buffers, long[] scalars, long begin, long end);

    String name();
}
