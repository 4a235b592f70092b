using System.Data.Common;

namespace Hub.Plugins.Common.Sql;

/// <summary>
/// What differs between SQL servers for <see cref="SqlWriter{TType}"/>: quoting, the default table, reading a table's
/// columns, converting values, writing one group of rows, and sorting the driver's exceptions.
/// <typeparamref name="TType"/> is the dialect's description of a column's type.
/// </summary>
public interface ISqlDialect<TType>
{
    /// <summary>The plugin's name, at the start of its messages (<c>postgres: …</c>).</summary>
    string Service { get; }

    /// <summary>The schema (or database) of targets that name none; null: the connection's own.</summary>
    string? DefaultSchema { get; }

    /// <summary>The pool of connections to the server.</summary>
    DbDataSource CreateSource();

    /// <summary>A quoted identifier: any name is safe in it.</summary>
    /// <exception cref="PermanentDeliveryException">The name cannot be quoted (a NUL character).</exception>
    string Quote(string name);

    /// <summary>The statement that creates the default layout's table (<see cref="SqlTarget.DefaultColumns"/>) when it is missing.</summary>
    string DefaultTable(string quotedName);

    /// <summary>The table's columns and their types, in order; empty when the table does not exist.</summary>
    Task<Dictionary<string, TType>> ColumnsAsync(DbConnection connection, string schema, string table, CancellationToken cancellationToken);

    /// <summary>A raw value (see <see cref="SqlSource.Read"/>) in the .NET type written for the column; null when it does not convert.</summary>
    object? Convert(TType type, object? raw);

    /// <summary>Writes one group's rows inside the batch's transaction; <paramref name="stage"/> numbers the groups of the batch.</summary>
    Task WriteAsync(DbConnection connection, DbTransaction transaction, SqlGroup<TType> group, int stage, CancellationToken cancellationToken);

    /// <summary>
    /// The delivery failure for a driver exception (<see cref="PermanentDeliveryException"/> for errors in the data or the
    /// statement, <see cref="TransientDeliveryException"/> for the rest); null when it is not the driver's.
    /// </summary>
    Exception? Failure(Exception exception);
}
