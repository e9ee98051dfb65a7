package org.sparkcnn.pipeline.corpus;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkcnn.pipeline.config.PipelineConfig.CorpusLayoutName;
import org.sparkcnn.pipeline.error.BadInputException;
import org.sparkcnn.pipeline.storage.Storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CorpusListerTest {

    @TempDir
    Path root;

    private final Storage storage = Storage.of(new Configuration());
    private final CorpusLister lister = new CorpusLister(storage, new SplitAssigner(42, 0.25, 0.2));

    private void file(String rel) throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.write(p, new byte[]{1, 2, 3});
    }

    private void text(String rel, String content) throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    private static Map<QuarantineReason, Long> reasons(CorpusListing l) {
        return l.quarantined().stream().collect(Collectors.groupingBy(QuarantineRecord::reason, Collectors.counting()));
    }

    @Test
    void food101LayoutWithMetaListsLabelsSplitsAndQuarantines() throws IOException {
        text("meta/classes.txt", "apple_pie\nbeignets\n");
        file("images/apple_pie/1.jpg");
        file("images/apple_pie/2.jpg");
        file("images/apple_pie/3.jpg");
        file("images/beignets/4.jpg");
        file("images/beignets/5.jpg");          // in no list -> UNLISTED
        file("images/beignets/4.png");          // same id as 4.jpg -> DUPLICATE
        file("images/beignets/readme.txt");     // UNSUPPORTED_FORMAT
        file("images/sushi/9.jpg");             // class folder not in classes.txt -> UNKNOWN_CLASS
        text("meta/train.txt", "apple_pie/1\napple_pie/2\nbeignets/4\napple_pie/1\n../../etc/passwd\n");
        text("meta/test.txt", "apple_pie/3\nbeignets/404\n");

        CorpusListing l = lister.list(root.toUri().toString(), CorpusLayoutName.AUTO);
        assertEquals(CorpusLayoutName.FOOD101, l.layout());
        assertEquals(List.of("apple_pie", "beignets"), l.classNames());
        assertEquals(4, l.entries().size());
        CorpusEntry three = l.entries().stream().filter(e -> e.relativePath().equals("apple_pie/3.jpg")).findFirst().orElseThrow();
        assertEquals(Split.TEST, three.split());
        assertEquals(0, three.label());
        CorpusEntry four = l.entries().stream().filter(e -> e.relativePath().equals("beignets/4.jpg")).findFirst().orElseThrow();
        assertEquals(1, four.label());
        assertTrue(four.split() == Split.TRAIN || four.split() == Split.VALIDATION);

        Map<QuarantineReason, Long> r = reasons(l);
        assertEquals(1L, r.get(QuarantineReason.UNLISTED));
        assertEquals(2L, r.get(QuarantineReason.DUPLICATE), "4.png and the repeated list entry");
        assertEquals(1L, r.get(QuarantineReason.UNSUPPORTED_FORMAT));
        assertEquals(1L, r.get(QuarantineReason.UNKNOWN_CLASS));
        assertEquals(1L, r.get(QuarantineReason.UNSAFE_PATH));
        assertEquals(1L, r.get(QuarantineReason.MISSING));
        // files on disk (8) + list entries without a usable file (duplicate entry, unsafe, missing = 3)
        assertEquals(11, l.listed());
    }

    @Test
    void directoryLayoutSplitsByHash() throws IOException {
        for (int i = 0; i < 40; i++) {
            file("cats/" + i + ".jpg");
            file("dogs/" + i + ".png");
        }
        file("stray.jpg");
        CorpusListing l = lister.list(root.toUri().toString(), CorpusLayoutName.AUTO);
        assertEquals(CorpusLayoutName.DIRECTORY, l.layout());
        assertEquals(List.of("cats", "dogs"), l.classNames());
        assertEquals(80, l.entries().size());
        assertEquals(1, l.quarantined().size());
        Map<Split, Long> bySplit = l.entries().stream().collect(Collectors.groupingBy(CorpusEntry::split, Collectors.counting()));
        assertTrue(bySplit.get(Split.TEST) > 5 && bySplit.get(Split.VALIDATION) > 5 && bySplit.get(Split.TRAIN) > 30, bySplit.toString());
    }

    @Test
    void splitIsStableWhenFilesAreAdded() throws IOException {
        for (int i = 0; i < 30; i++) {
            file("a/" + i + ".jpg");
        }
        Map<String, Split> before = lister.list(root.toUri().toString(), CorpusLayoutName.DIRECTORY).entries().stream()
                .collect(Collectors.toMap(CorpusEntry::relativePath, CorpusEntry::split));
        for (int i = 30; i < 60; i++) {
            file("a/" + i + ".jpg");
        }
        Map<String, Split> after = lister.list(root.toUri().toString(), CorpusLayoutName.DIRECTORY).entries().stream()
                .collect(Collectors.toMap(CorpusEntry::relativePath, CorpusEntry::split));
        before.forEach((path, split) -> assertEquals(split, after.get(path), path));
    }

    @Test
    void trainTestRootsUseTheTestRootForTest() throws IOException {
        for (int i = 0; i < 10; i++) {
            file("train/a/" + i + ".jpg");
            file("train/b/" + i + ".jpg");
        }
        file("test/a/x.jpg");
        file("test/b/y.jpg");
        file("test/c/z.jpg");
        CorpusListing l = lister.list(root.toUri().toString(), CorpusLayoutName.AUTO);
        assertEquals(CorpusLayoutName.TRAIN_TEST, l.layout());
        assertEquals(2, l.entries().stream().filter(e -> e.split() == Split.TEST).count());
        assertEquals(QuarantineReason.UNKNOWN_CLASS, l.quarantined().get(0).reason());
        assertTrue(l.entries().stream().noneMatch(e -> e.relativePath().startsWith("x")));
    }

    @Test
    void missingCorpusIsBadInputNamingTheUri() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> lister.list(root.resolve("absent").toUri().toString(), CorpusLayoutName.AUTO));
        assertTrue(e.getMessage().contains("absent"), e.getMessage());
        BadInputException empty = assertThrows(BadInputException.class, () -> lister.list("", CorpusLayoutName.AUTO));
        assertTrue(empty.getMessage().contains("corpus.uri"));
    }
}
