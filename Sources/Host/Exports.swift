// JSONValue is part of this module's API (the JSON log encoder).
@_exported import OrderedJSON
