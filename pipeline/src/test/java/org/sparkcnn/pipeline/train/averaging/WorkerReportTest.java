package org.sparkcnn.pipeline.train.averaging;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

class WorkerReportTest {

    /** As Spark's RPC sends it between JVMs: Java serialisation of the string. */
    private static String overTheWire(String s) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(s);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (String) in.readObject();
        }
    }

    @Test
    void aReportWithStateSurvivesJavaSerialisationBitForBit() throws Exception {
        // random floats: every byte value 0..255 occurs in the string
        var params = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 5000).subi(0.5);
        var updater = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 10000);
        WorkerReport sent = new WorkerReport(1.25, 40, 5, 31, new NetworkState(params, updater));
        WorkerReport got = WorkerReport.decode(overTheWire(sent.encode()));
        assertEquals(1.25, got.lossSum());
        assertEquals(40, got.examples());
        assertEquals(5, got.minibatches());
        assertEquals(31, got.correct());
        assertEquals(0.0, got.state().params().sub(params).amaxNumber().doubleValue());
        assertEquals(0.0, got.state().updaterState().sub(updater).amaxNumber().doubleValue());
        assertEquals(params.length() * 4 + updater.length() * 4, sent.state().bytes());
    }

    @Test
    void aWorkerWithNothingToFitSendsCountsOnly() throws Exception {
        WorkerReport got = WorkerReport.decode(overTheWire(new WorkerReport(0, 0, 0, 0, null).encode()));
        assertNull(got.state());
        assertEquals(0, got.minibatches());
        var sgd = new WorkerReport(2, 8, 1, -1, new NetworkState(Nd4j.ones(3), null));
        assertNull(WorkerReport.decode(sgd.encode()).state().updaterState(), "plain SGD has no updater state");
        assertEquals(-1, WorkerReport.decode(sgd.encode()).correct(), "an uncounted worker stays uncounted");
    }

    @Test
    void aNudgedCallIsWokenFromItsSleepsAndLeavesNoInterruptBehind() throws Exception {
        // like Spark 3.5's barrier call: sleeps a second between checks; here it returns after 3 early wake-ups
        AtomicInteger wakeUps = new AtomicInteger();
        int got = AllGatherExchange.nudged(() -> {
            while (wakeUps.get() < 3) {
                try {
                    Thread.sleep(600_000);
                } catch (InterruptedException e) {
                    wakeUps.incrementAndGet();
                }
            }
            return wakeUps.get();
        });
        assertEquals(3, got);
        assertFalse(Thread.currentThread().isInterrupted(), "the interrupt flag is cleared");
        List<Thread> nudgers = new ArrayList<>();
        Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("barrier-round-nudger"))
                .forEach(nudgers::add);
        for (Thread t : nudgers) {
            t.join(10_000);
            assertFalse(t.isAlive(), "the nudger ends with the call");
        }
        Thread.sleep(5);   // a stray nudge after the call would interrupt this sleep
        assertFalse(Thread.currentThread().isInterrupted());
    }
}
