enum IOCPlaceholder {}
