package routing

var DbgLS, DbgImp *int = &dbgLS, &dbgImp
var TempStart, TempEnd = &tempStart, &tempEnd

