package org.magmap.patch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The Parquet schema of training patches (version {@value #VERSION}), documented in docs/data-products.md. Images are
 * stored as {@code binary}: {@code size * size} little-endian float32, row y = 0 first, x fastest (numpy:
 * {@code np.frombuffer(b, "<f4").reshape(size, size)}); a stacked observable such as {@code HI_CH01+SYNC} stores
 * its maps' planes back to back ({@code reshape(-1, size, size)}). A binary column encodes and decodes far faster than
 * {@code array<float>}, whose every element carries Parquet repetition levels.
 */
public final class PatchSchema {
    /** Schema version, in the manifest and each column's metadata (2: the {@code b_eq_ug} baseline column). */
    public static final int VERSION = 2;

    public static final StructType SCHEMA = new StructType(new StructField[] {
        field("split", DataTypes.StringType, "train, validation or test (the partition column)", ""),
        field("simulation", DataTypes.StringType, "run id of the simulation", ""),
        field("snapshot", DataTypes.IntegerType, "snapshot number", ""),
        field("view", DataTypes.StringType, "view name, e.g. i60-pa0", ""),
        field("inclination_deg", DataTypes.DoubleType, "mean-field inclination to the LOS of the view", "deg"),
        field("position_angle_deg", DataTypes.DoubleType, "mean-field position angle of the view", "deg"),
        field("observable", DataTypes.StringType, "input map: SYNC, HI_CH00, ...", ""),
        field("channel_centre_km_s", DataTypes.DoubleType, "H I channel centre (NaN for synchrotron)", "km/s"),
        field(
                "channel_width_km_s",
                DataTypes.DoubleType,
                "H I channel width (NaN for synchrotron); a conditioning value",
                "km/s"),
        field("noise_ratio", DataTypes.DoubleType, "noise sigma / map mean; a conditioning value", ""),
        field("beam_fwhm_px", DataTypes.DoubleType, "beam FWHM applied before cutting; a conditioning value", "pixel"),
        field("patch_index", DataTypes.LongType, "index of the patch within its map, observable, noise and beam", ""),
        field("patch_seed", DataTypes.LongType, "the patch's seed (crop, rotation, noise)", ""),
        field("centre_x", DataTypes.DoubleType, "patch centre in map pixels", "pixel"),
        field("centre_y", DataTypes.DoubleType, "patch centre in map pixels", "pixel"),
        field("rotation_deg", DataTypes.DoubleType, "content turned counter-clockwise by this angle", "deg"),
        field("size", DataTypes.IntegerType, "patch side", "pixel"),
        field(
                "image",
                DataTypes.BinaryType,
                "normalised input, size*size float32 LE, x fastest; a stack's planes back to back",
                ""),
        field(
                "b_ug",
                DataTypes.DoubleType,
                "surface-density-weighted mean |B| over the patch (cluster CNN target)",
                "uG"),
        field("m_a", DataTypes.DoubleType, "weighted mean local Alfven Mach number", ""),
        field("m_s", DataTypes.DoubleType, "weighted mean local sonic Mach number", ""),
        field("gamma_deg", DataTypes.DoubleType, "weighted mean inclination of B to the LOS", "deg"),
        field("psi_deg", DataTypes.DoubleType, "mean POS angle (pseudo-Stokes), turned with the patch", "deg"),
        field("t_cos2psi", DataTypes.BinaryType, "target map cos 2psi (float32 LE), null without target maps", ""),
        field("t_sin2psi", DataTypes.BinaryType, "target map sin 2psi", ""),
        field("t_gamma_deg", DataTypes.BinaryType, "target map inclination", "deg"),
        field("t_b_ug", DataTypes.BinaryType, "target map |B|", "uG"),
        field("t_m_a", DataTypes.BinaryType, "target map M_A", ""),
        field("t_m_s", DataTypes.BinaryType, "target map M_s", ""),
        field(
                "b_eq_ug",
                DataTypes.DoubleType,
                "equipartition baseline (Beck & Krause 2005) of the mean calibrated synchrotron intensity over the"
                        + " patch before noise; null for H I inputs, uncalibrated maps or a non-positive mean",
                "uG")
    });

    private PatchSchema() {}

    private static StructField field(
            String name, org.apache.spark.sql.types.DataType type, String description, String unit) {
        Metadata m = new MetadataBuilder()
                .putString("description", description)
                .putString("unit", unit)
                .putLong("magmap_schema_version", VERSION)
                .build();
        return new StructField(name, type, true, m);
    }

    /** One row. */
    public static Row row(PatchSource src, PatchUnit unit, Patch p, int size) {
        return RowFactory.create(
                p.split(),
                src.simulation(),
                src.snapshot(),
                src.view(),
                src.inclinationDeg(),
                src.positionAngleDeg(),
                src.observable(),
                src.channelCentreKmPerS(),
                src.channelWidthKmPerS(),
                unit.noiseRatio(),
                unit.beamFwhmPixels(),
                p.index(),
                p.seed(),
                p.centreX(),
                p.centreY(),
                p.rotationDeg(),
                size,
                bytes(p.image()),
                p.fieldMicrogauss(),
                p.alfvenMach(),
                p.sonicMach(),
                p.gammaDeg(),
                p.psiDeg(),
                bytes(p.mapCos2Psi()),
                bytes(p.mapSin2Psi()),
                bytes(p.mapGammaDeg()),
                bytes(p.mapFieldMicrogauss()),
                bytes(p.mapAlfvenMach()),
                bytes(p.mapSonicMach()),
                Double.isNaN(p.equipartitionMicrogauss()) ? null : p.equipartitionMicrogauss());
    }

    /** float32 little-endian bytes (null stays null). */
    public static byte[] bytes(float[] values) {
        if (values == null) {
            return null;
        }
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b.array();
    }

    /** The inverse of {@link #bytes}. */
    public static float[] floats(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        float[] out = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }
}
