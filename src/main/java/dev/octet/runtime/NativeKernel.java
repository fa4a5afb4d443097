package dev.octet.runtime;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * One generated kernel of a loaded library: {@code void name(T *buf0, ..., int64_t s0, ..., int64_t begin,
 * int64_t end)}. Calls take the work range [begin, end) of the kernel's parallel axis; the runtime's Java threads
 * split it.
 */
public final class NativeKernel implements Kernel {
    private final String name;
    private final int buffers;
    private final int scalars;
    private final MethodHandle handle;

    public NativeKernel(NativeLibrary library, String name, int buffers, int scalars) {
        this.name = name;
        this.buffers = buffers;
        this.scalars = scalars;
        List<MemoryLayout> args = new ArrayList<>();
        for (int i = 0; i < buffers; i++) {
            args.add(ValueLayout.ADDRESS);
        }
        for (int i = 0; i < scalars + 2; i++) {
            args.add(ValueLayout.JAVA_LONG);
        }
        this.handle = library.function(name, FunctionDescriptor.ofVoid(args.toArray(MemoryLayout[]::new)))
                .asSpreader(Object[].class, buffers + scalars + 2);
    }

    @Override
    public String name() {
        return name;
    }

    /** Runs the kernel over [begin, end) of its parallel axis. */
    @Override
    public void invoke(MemorySegment[] bufs, long[] scalarArgs, long begin, long end) {
        if (bufs.length != buffers || scalarArgs.length != scalars) {
            throw new IllegalArgumentException(name + " takes " + buffers + " buffers and " + scalars + " scalars");
        }
        Object[] args = new Object[buffers + scalars + 2];
        System.arraycopy(bufs, 0, args, 0, buffers);
        for (int i = 0; i < scalars; i++) {
            args[buffers + i] = scalarArgs[i];
        }
        args[buffers + scalars] = begin;
        args[buffers + scalars + 1] = end;
        try {
            handle.invoke(args);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
