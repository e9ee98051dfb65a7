package org.sparkcnn.pipeline.security;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sparkcnn.pipeline.error.BadInputException;

import java.io.File;
import java.io.IOException;
import java.io.InvalidClassException;
import java.net.URL;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The guard refuses what is off the list, inside its scope only: same thread afterwards and other threads are untouched. */
class DeserializationGuardTest {
    private static final String FILE = "file:/warehouse/run-1/checkpoints/epoch-0001/model.zip";

    @BeforeEach
    void reset() {
        Tripwire.RUNS.set(0);
    }

    private static BadInputException refused(Object value) {
        byte[] bytes = Tripwire.serialise(value);
        return assertThrows(BadInputException.class, () -> DeserializationGuard.read(FILE, () -> Tripwire.deserialise(bytes)));
    }

    private static void assertNames(BadInputException e, String type) {
        assertTrue(e.getMessage().startsWith(FILE + " was refused"), e.getMessage());
        assertTrue(e.getMessage().contains("class " + type), e.getMessage());
        assertTrue(e.getMessage().contains("do not load files of unknown origin"), e.getMessage());
    }

    @Test
    void aClassOffTheListIsABadInputNamingFileAndClassAndItsReadObjectNeverRuns() {
        BadInputException e = refused(new Tripwire());
        assertNames(e, Tripwire.class.getName());
        assertInstanceOf(InvalidClassException.class, e.getCause());
        assertEquals(0, Tripwire.RUNS.get());
        // Inside a list, too: the list is allowed, its element is not.
        assertNames(refused(new ArrayList<>(List.of(new Tripwire()))), Tripwire.class.getName());
        assertEquals(0, Tripwire.RUNS.get());
    }

    @Test
    void jdkGadgetCarriersAreRefused() throws Exception {
        assertNames(refused(new File("/etc/passwd")), "java.io.File");
        assertNames(refused(new URL("http://127.0.0.1:1/")), "java.net.URL");
        Map<Object, Object> map = new HashMap<>();
        map.put(new URL("http://127.0.0.1:1/"), "x");
        assertNames(refused(map), "java.util.HashMap");
        assertNames(refused(Integer.valueOf(3)), "java.lang.Integer");
    }

    @Test
    void aRefusalCountsEvenWhenTheReaderSwallowsIt() {
        byte[] bytes = Tripwire.serialise(new Tripwire());
        BadInputException e = assertThrows(BadInputException.class, () -> DeserializationGuard.read(FILE, () -> {
            try {
                return Tripwire.deserialise(bytes);
            } catch (IOException swallowed) {
                return null;
            }
        }));
        assertNames(e, Tripwire.class.getName());
        assertNull(e.getCause());
    }

    @Test
    void limitsAreEnforced() {
        List<Object> deep = new ArrayList<>();
        List<Object> inner = deep;
        for (int i = 0; i < SerialAllowList.MAX_DEPTH + 5; i++) {
            List<Object> next = new ArrayList<>();
            inner.add(next);
            inner = next;
        }
        assertTrue(refused(deep).getMessage().contains("nesting depth"), refused(deep).getMessage());
        BadInputException longArray = refused(new long[(int) SerialAllowList.MAX_ARRAY_LENGTH + 1]);
        assertTrue(longArray.getMessage().contains("an array of length " + (SerialAllowList.MAX_ARRAY_LENGTH + 1)),
                longArray.getMessage());
    }

    @Test
    void listedClassesWithinTheLimitsAreRead() throws IOException {
        for (Object ok : List.of(new ArrayList<>(List.of("cat", "dog")), List.of("a", "b", "c"), List.of("a"),
                new LinkedList<>(List.of("x")), java.util.Arrays.asList("p", "q"))) {
            byte[] bytes = Tripwire.serialise(ok);
            assertEquals(ok, DeserializationGuard.read(FILE, () -> Tripwire.deserialise(bytes)));
        }
        long[] shape = {2, 3};
        byte[] bytes = Tripwire.serialise(shape);
        assertEquals(2, ((long[]) DeserializationGuard.read(FILE, () -> Tripwire.deserialise(bytes))).length);
    }

    @Test
    void outsideTheGuardTheSameThreadDeserialisesAsBefore() throws Exception {
        refused(new Tripwire());
        assertNull(ReadScope.current());
        assertInstanceOf(Tripwire.class, Tripwire.deserialise(Tripwire.serialise(new Tripwire())));
        assertEquals(1, Tripwire.RUNS.get());
        assertNotNull(FilterInstaller.mode());
        System.out.println("deserialisation guard installed as " + FilterInstaller.mode());
    }

    @Test
    void anotherThreadDeserialisesFreelyWhileAGuardedReadIsOpen() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch otherDone = new CountDownLatch(1);
        byte[] bytes = Tripwire.serialise(new Tripwire());
        CompletableFuture<Throwable> guarded = CompletableFuture.supplyAsync(() -> {
            try {
                DeserializationGuard.read(FILE, () -> {
                    inside.countDown();
                    try {
                        assertTrue(otherDone.await(30, TimeUnit.SECONDS));
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                    return Tripwire.deserialise(bytes);
                });
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        assertTrue(inside.await(30, TimeUnit.SECONDS));
        // The guarded read is open on the other thread; this one deserialises a class off the list.
        assertInstanceOf(Tripwire.class, Tripwire.deserialise(bytes));
        assertEquals(1, Tripwire.RUNS.get());
        otherDone.countDown();
        Throwable t = guarded.get(30, TimeUnit.SECONDS);
        assertInstanceOf(BadInputException.class, t);
        assertNames((BadInputException) t, Tripwire.class.getName());
        assertEquals(1, Tripwire.RUNS.get(), "the guarded thread's read never ran readObject");
    }

    @Test
    void nestedGuardedReadsRestoreTheOuterScope() throws IOException {
        byte[] list = Tripwire.serialise(new ArrayList<>(List.of("a")));
        Object back = DeserializationGuard.read(FILE, () -> {
            Object inner = DeserializationGuard.read("inner", () -> Tripwire.deserialise(list));
            assertNotNull(ReadScope.current());
            return inner;
        });
        assertEquals(List.of("a"), back);
        assertNull(ReadScope.current());
    }
}
