namespace Hub.Cli;

/// <summary>The arguments of <c>hub passwd</c>, as parsed.</summary>
internal sealed record PasswdRequest(string File, string? User, string? Password, bool Create, bool Batch, bool Delete, bool Update, int Iterations);
