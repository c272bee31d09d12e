package dev.jobguard.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A text argument that must say something (a job, a run id, a reason): blank is a usage error, stripped otherwise. */
final class NonBlank implements ITypeConverter<String> {

    @Override
    public String convert(String value) {
        if (value.isBlank()) {
            throw new TypeConversionException("must not be blank");
        }
        return value.strip();
    }
}
