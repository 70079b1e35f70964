// JSONValue is part of this module's API (responses, history objects).
@_exported import OrderedJSON
