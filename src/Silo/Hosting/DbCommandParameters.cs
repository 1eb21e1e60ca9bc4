using System.Data.Common;

namespace SessionGrid.Silo.Hosting;

/// <summary>Named parameters for the project's own SQL, the same on SQLite and PostgreSQL (<c>@name</c> in the text).</summary>
public static class DbCommandParameters
{
    /// <summary>Adds each <c>(name, value)</c> as the parameter <c>@name</c>; answers the command.</summary>
    public static DbCommand With(this DbCommand command, params (string Name, object Value)[] parameters)
    {
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@" + name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        return command;
    }
}
