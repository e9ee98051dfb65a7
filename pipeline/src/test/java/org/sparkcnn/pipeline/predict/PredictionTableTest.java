package org.sparkcnn.pipeline.predict;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class PredictionTableTest {
    @Test
    void csvRowsQuoteTextAndLeaveMissingClassesEmpty() {
        Prediction ok = new Prediction("file:/in/a \"b\".jpg", List.of("square", "circle"), List.of(0.9, 0.1), null);
        Prediction bad = new Prediction("file:/in/c.jpg", List.of(), List.of(), "NOT_FOUND: no such file");
        assertEquals("path,class_1,probability_1,class_2,probability_2,class_3,probability_3,error\n", PredictionTable.header(3));
        assertEquals("\"file:/in/a \"\"b\"\".jpg\",\"square\",0.900000,\"circle\",0.100000,,,\n", PredictionTable.csvLine(ok, 3));
        assertEquals("\"file:/in/c.jpg\",,,,,,,\"NOT_FOUND: no such file\"\n", PredictionTable.csvLine(bad, 3));
    }

    @Test
    void rowsCarryTheBestClassAndTheTopK() {
        Row row = PredictionTable.toRow(new Prediction("p", List.of("a", "b"), List.of(0.7, 0.2), null));
        assertEquals("a", row.getString(1));
        assertEquals(0.7, row.getDouble(2));
        assertArrayEquals(new String[]{"a", "b"}, (String[]) row.get(3));
        Row failed = PredictionTable.toRow(new Prediction("q", List.of(), List.of(), "UNREADABLE: x"));
        assertNull(failed.get(1));
        assertEquals("UNREADABLE: x", failed.getString(5));
        assertEquals(PredictionTable.SCHEMA.size(), failed.length());
    }
}
