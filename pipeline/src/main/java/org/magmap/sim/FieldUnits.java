package org.magmap.sim;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.magmap.ops.BadInputException;

/**
 * Converts a field's BUNIT (as foreign FITS files spell it) to the factor that takes its values to the unit
 * magmap stores ({@link Field#unit()}). Magnetic-field symbols are matched case-sensitively, since 'mG'
 * (milligauss) and 'MG' (megagauss) differ; spelled-out words ('gauss', 'kelvin') and the units of the other
 * fields in any case (legacy headers write 'KM/S').
 */
final class FieldUnits {
    /** Centimetres per parsec: 648000/pi au with the IAU 2012 au of 1.495978707e13 cm exactly (IAU 2015 B2). */
    static final double CM_PER_PC = 3.0856775814913673e18;

    private static final Map<Field, Map<String, Double>> FACTORS = Map.of(
            Field.DENSITY,
            Map.of(
                    "g cm-3", 1.0,
                    "g/cm3", 1.0,
                    "g cm^-3", 1.0,
                    "g/cm^3", 1.0,
                    "g.cm-3", 1.0,
                    "g cm**-3", 1.0,
                    "kg m-3", 1e-3,
                    "kg/m3", 1e-3),
            Field.VELOCITY_X,
            velocity(),
            Field.VELOCITY_Y,
            velocity(),
            Field.VELOCITY_Z,
            velocity(),
            Field.B_X,
            magnetic(),
            Field.B_Y,
            magnetic(),
            Field.B_Z,
            magnetic(),
            Field.TEMPERATURE,
            Map.of("K", 1.0, "kelvin", 1.0));

    private FieldUnits() {}

    /**
     * The factor from {@code bunit} to {@link Field#unit()}; 1 for a blank BUNIT (the caller decides whether
     * to warn).
     *
     * @param where the file and HDU, for the error message
     * @throws BadInputException if the unit is not one magmap knows for this field
     */
    static double toStoredUnit(Field field, String bunit, String source, String where) {
        String u = bunit == null ? "" : bunit.strip().replaceAll("\\s+", " ");
        if (u.isEmpty()) {
            return 1.0;
        }
        Map<String, Double> known = FACTORS.get(field);
        Double f = known.get(u);
        if (f == null) {
            f = known.get(u.toLowerCase(Locale.ROOT));
            // magnetic symbols keep their case ('mG' is not 'MG'); words and the other fields' units
            // (legacy headers write 'KM/S') may come in any case
            boolean magnetic = field == Field.B_X || field == Field.B_Y || field == Field.B_Z;
            if (f != null && magnetic && !u.toLowerCase(Locale.ROOT).matches("[a-z]{4,}")) {
                f = null;
            }
        }
        if (f == null) {
            throw new BadInputException(
                    source,
                    where + ": unknown BUNIT '" + bunit.strip() + "' for field " + field.key() + " (known: "
                            + String.join(", ", known.keySet().stream().sorted().toList()) + "; stored as "
                            + field.unit() + ")");
        }
        return f;
    }

    /** Parsecs per one unit of a CUNITn length, or NaN if the unit is not a length magmap knows. */
    static double pcPer(String cunit) {
        String u = cunit == null ? "" : cunit.strip();
        return switch (u) {
            case "pc" -> 1.0;
            case "kpc" -> 1e3;
            case "Mpc" -> 1e6;
            case "cm" -> 1.0 / CM_PER_PC;
            case "m" -> 100.0 / CM_PER_PC;
            case "km" -> 1e5 / CM_PER_PC;
                // 1 pc = 648000/pi au by definition (IAU 2015 B2)
            case "au", "AU" -> Math.PI / 648000.0;
            default -> Double.NaN;
        };
    }

    /** Names of the lengths {@link #pcPer} knows, for messages. */
    static List<String> knownLengths() {
        return List.of("pc", "kpc", "Mpc", "cm", "m", "km", "au");
    }

    private static Map<String, Double> velocity() {
        return Map.of(
                "km/s", 1.0,
                "km s-1", 1.0,
                "km s^-1", 1.0,
                "km.s-1", 1.0,
                "m/s", 1e-3,
                "m s-1", 1e-3,
                "m s^-1", 1e-3,
                "cm/s", 1e-5,
                "cm s-1", 1e-5,
                "cm s^-1", 1e-5);
    }

    private static Map<String, Double> magnetic() {
        return Map.of(
                "uG", 1.0,
                "microgauss", 1.0,
                "muG", 1.0,
                "G", 1e6,
                "gauss", 1e6,
                "mG", 1e3,
                "milligauss", 1e3,
                "nG", 1e-3);
    }
}
