package org.sparkcnn.pipeline.ml;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.sparkcnn.pipeline.ingest.DecodedImage;
import org.sparkcnn.pipeline.ingest.ImageDecoder;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Set;

/**
 * The two image columns the ML API takes, told apart by type: Spark's {@code image} data source struct
 * ({@code origin, height, width, nChannels, mode, data}: pixels decoded already, B, G, R order) or encoded bytes
 * ({@code binaryFile}'s {@code content}, any JPEG, PNG, BMP or GIF). Both decode to the pipeline's pixels with the
 * ingest's own {@link ImageDecoder}.
 */
enum ImageColumn implements Serializable {
    /** Spark's {@code image} data source struct. */
    STRUCT,
    /** Encoded image bytes. */
    BYTES;

    private static final Set<String> STRUCT_FIELDS = Set.of("origin", "height", "width", "nChannels", "data");

    /** The column's kind, or an IllegalArgumentException naming the column and what it should be. */
    static ImageColumn of(StructType schema, String column) {
        DataType type = field(schema, column, "imageCol").dataType();
        if (type instanceof BinaryType) {
            return BYTES;
        }
        if (type instanceof StructType struct
                && Arrays.stream(struct.fieldNames()).toList().containsAll(STRUCT_FIELDS)) {
            return STRUCT;
        }
        throw new IllegalArgumentException("column '" + column + "' (imageCol) is " + type.simpleString()
                + "; it must be Spark's image struct (spark.read.format(\"image\")) or binary image bytes "
                + "(spark.read.format(\"binaryFile\")'s content)");
    }

    /** The field, or an IllegalArgumentException naming the column, the param and the columns there are. */
    static StructField field(StructType schema, String column, String param) {
        if (!Arrays.asList(schema.fieldNames()).contains(column)) {
            throw new IllegalArgumentException("column '" + column + "' (" + param + ") is not in the DataFrame; "
                    + "its columns are " + Arrays.toString(schema.fieldNames()));
        }
        return schema.apply(column);
    }

    /** Decodes the column's value in {@code row} at {@code index}; a null image is NOT_AN_IMAGE. */
    DecodedImage decode(Row row, int index, ImageDecoder decoder) {
        if (row.isNullAt(index)) {
            return DecodedImage.rejected("NOT_AN_IMAGE", "the image column is null");
        }
        try {
            if (this == BYTES) {
                return decoder.decode((byte[]) row.get(index));
            }
            Row image = row.getStruct(index);
            return decoder.decodeRaw(image.getInt(image.fieldIndex("height")), image.getInt(image.fieldIndex("width")),
                    image.getInt(image.fieldIndex("nChannels")), (byte[]) image.get(image.fieldIndex("data")));
        } catch (RuntimeException e) {
            return DecodedImage.rejected("CORRUPT", e.toString());
        }
    }

    /** Where the row's image came from (the struct's {@code origin}), or null. */
    String origin(Row row, int index) {
        if (this != STRUCT || row.isNullAt(index)) {
            return null;
        }
        Row image = row.getStruct(index);
        return image.getString(image.fieldIndex("origin"));
    }

    /** The size of the row's image data in bytes (0 when null). */
    long size(Row row, int index) {
        if (row.isNullAt(index)) {
            return 0;
        }
        if (this == BYTES) {
            return ((byte[]) row.get(index)).length;
        }
        Row image = row.getStruct(index);
        return image.isNullAt(image.fieldIndex("data")) ? 0 : ((byte[]) image.get(image.fieldIndex("data"))).length;
    }
}
