using Hub.Plugins.Common.Sql;
using NpgsqlTypes;

namespace Hub.Plugins.Storage;

/// <summary>A PostgreSQL column type (its <c>udt_name</c>) as the <c>postgres</c> sink converts and copies values for it.</summary>
public sealed record PgType(string Name, ColumnKind Kind, NpgsqlDbType Type)
{
    public static PgType From(string udt) => udt switch
    {
        "int2" => new(udt, ColumnKind.Integer, NpgsqlDbType.Smallint),
        "int4" => new(udt, ColumnKind.Integer, NpgsqlDbType.Integer),
        "int8" => new(udt, ColumnKind.Integer, NpgsqlDbType.Bigint),
        "float4" => new(udt, ColumnKind.Real, NpgsqlDbType.Real),
        "float8" => new(udt, ColumnKind.Real, NpgsqlDbType.Double),
        "numeric" => new(udt, ColumnKind.Real, NpgsqlDbType.Numeric),
        "bool" => new(udt, ColumnKind.Boolean, NpgsqlDbType.Boolean),
        "timestamptz" => new(udt, ColumnKind.Time, NpgsqlDbType.TimestampTz),
        "timestamp" => new(udt, ColumnKind.Time, NpgsqlDbType.Timestamp),
        "date" => new(udt, ColumnKind.Time, NpgsqlDbType.Date),
        "json" => new(udt, ColumnKind.Json, NpgsqlDbType.Json),
        "jsonb" => new(udt, ColumnKind.Json, NpgsqlDbType.Jsonb),
        "bytea" => new(udt, ColumnKind.Bytes, NpgsqlDbType.Bytea),
        "varchar" => new(udt, ColumnKind.Text, NpgsqlDbType.Varchar),
        "bpchar" => new(udt, ColumnKind.Text, NpgsqlDbType.Char),
        "name" => new(udt, ColumnKind.Text, NpgsqlDbType.Name),
        "uuid" => new(udt, ColumnKind.Text, NpgsqlDbType.Uuid),
        _ => new(udt, ColumnKind.Text, NpgsqlDbType.Text),
    };

    /// <summary>The value in the .NET type the binary COPY writes for this column (null when it does not convert).</summary>
    public object? Convert(object? raw)
    {
        var value = SqlSource.Convert(raw, Kind);
        return (value, Type) switch
        {
            (null, _) => null,
            (long n, NpgsqlDbType.Integer) => n is >= int.MinValue and <= int.MaxValue ? (int)n : null,
            (long n, NpgsqlDbType.Smallint) => n is >= short.MinValue and <= short.MaxValue ? (short)n : null,
            (double d, NpgsqlDbType.Real) => (float)d,
            (double d, NpgsqlDbType.Numeric) => Math.Abs(d) < 7.9e28 ? (decimal)d : null,
            (DateTime t, NpgsqlDbType.Timestamp) => DateTime.SpecifyKind(t, DateTimeKind.Unspecified),
            (DateTime t, NpgsqlDbType.Date) => DateOnly.FromDateTime(t),
            (string s, NpgsqlDbType.Uuid) => Guid.TryParse(s, out var id) ? id : null,
            _ => value,
        };
    }
}
