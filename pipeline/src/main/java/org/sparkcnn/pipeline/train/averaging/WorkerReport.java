package org.sparkcnn.pipeline.train.averaging;

import org.sparkcnn.pipeline.model.Network;
import org.sparkcnn.pipeline.spark.ArrayBytes;
import org.sparkcnn.pipeline.train.distributed.WorkerRound;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * What a worker tells the others at the end of a barrier round: its minibatch loss sum, examples, minibatches and
 * correctly classified examples,
 * and, when it fitted any, a copy of its parameters and updater state (others may still read it while this worker
 * trains on). As a string for {@code BarrierTaskContext.allGather}, the bytes ({@link ArrayBytes} for the arrays)
 * travel one char per byte (ISO-8859-1): a copy, no encoding; Java serialisation writes chars 0 and 128-255 as two
 * bytes, so a report takes at most twice its bytes on the wire.
 */
record WorkerReport(double lossSum, long examples, long minibatches, long correct, NetworkState state) {

    static WorkerReport of(WorkerRound work, Network network) {
        return of(work, network, null);
    }

    /** {@link #of(WorkerRound, Network)} with the state copied into {@code reuse} where it fits (no other reader left). */
    static WorkerReport of(WorkerRound work, Network network, NetworkState reuse) {
        return new WorkerReport(work.lossSum(), work.examples(), work.minibatches(), work.correct(),
                work.minibatches() > 0 ? NetworkState.copyOf(network, reuse) : null);
    }

    /**
     * This report as one worker's term of a round's {@link RoundSum} (a worker that fitted nothing adds nothing);
     * {@code copy}: with a copy of the state, which the sum may add into.
     */
    RoundSum asSum(boolean copy) {
        if (state == null) {
            return new RoundSum(null, lossSum, examples, minibatches, correct, 0, minibatches);
        }
        return new RoundSum(copy ? state.dup() : state, lossSum, examples, minibatches, correct, 1, minibatches);
    }

    /**
     * This report as the first term of a sum that adds into {@code into} (this state copied there), when
     * {@code into} is not null and fits; otherwise {@link #asSum(boolean) asSum(true)}.
     */
    RoundSum asFirstSum(NetworkState into) {
        if (state == null || into == null) {
            return asSum(true);
        }
        try {
            return new RoundSum(into.assign(state), lossSum, examples, minibatches, correct, 1, minibatches);
        } catch (IllegalArgumentException shapes) {
            return asSum(true);
        }
    }

    String encode() {
        long size = 64 + (state == null ? 0 : state.bytes() + 128);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 16, size));
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeDouble(lossSum);
            out.writeLong(examples);
            out.writeLong(minibatches);
            out.writeLong(correct);
            ArrayBytes.writeNullable(state == null ? null : state.params(), out);
            ArrayBytes.writeNullable(state == null ? null : state.updaterState(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new String(bytes.toByteArray(), StandardCharsets.ISO_8859_1);
    }

    static WorkerReport decode(String message) {
        try (DataInputStream in = new DataInputStream(
                new ByteArrayInputStream(message.getBytes(StandardCharsets.ISO_8859_1)))) {
            double lossSum = in.readDouble();
            long examples = in.readLong();
            long minibatches = in.readLong();
            long correct = in.readLong();
            var params = ArrayBytes.readNullable(in);
            var updater = ArrayBytes.readNullable(in);
            return new WorkerReport(lossSum, examples, minibatches, correct,
                    params == null ? null : new NetworkState(params, updater));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a worker's averaging report", e);
        }
    }
}
