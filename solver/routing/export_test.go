package routing

// Tuning hooks for the benchmark harness (env T0, TF).
var TempStart, TempEnd = &tempStart, &tempEnd
var LSEvery = &lsEvery
var LSBest = &lsBest
var CandNear = &candNear
var Cbar = &sisrCbar
var Lmax = &sisrLmax
var TWOrders, TWOrderDraws = &twOrders, &twOrderDraws
var SqueezeEvery = &squeezeEvery
var ExactOn = &exactOn
var Trajectories = &trajectories
var SwapStar = &swapStarOn
var StarNear = &starNear
var SwapStarTW = &starTWOn
var CrossOn = &crossOn
var CullAt = &cullAtCross
var CrossFullLS = &crossFullLS
var NearTemp, NearTempStart, NearTempEnd, NearK, NearCap = &nearTemp, &nearTempStart, &nearTempEnd, &nearK, &nearCap
var DivOn = &divOn
var DivRoutes = &divRoutes
var DivElite = &divElite
var CullAtDiv = &cullAtDiv
var GranOn = &granOn
var GranK = &granK
var GranDepot = &granDepot
var GranWalk = &granWalk
var WarpOn, WarpTarget, WarpInit, WarpEvery, WarpUp, WarpDown = &warpOn, &warpTarget, &warpInit, &warpEvery, &warpUp, &warpDown
var WarpEnd, WarpSqueeze, WarpMix = &warpEnd, &warpSqueeze, &warpMix
var HGSOn, HGSUnit, HGSMin, HGSMax, HGSInit, HGSNear, HGSPolish = &hgsOn, &hgsUnit, &hgsMinJobs, &hgsMaxJobs, &hgsInit, &hgsNear, &hgsPolish
var HGSSA = &hgsSA
var HGSPolar = &hgsPolar
var HGSFast, HGSFastUnit, HGSReport = &hgsFast, &hgsFastUnit, &hgsReport
var CVRPPolish = &cvrpPolish
var ProbeOn, ProbeFrom, ProbeSqueeze = &probeOn, &probeFrom, &probeSqueeze
var ProbeDown = &probeDown
var EliteFrom = &eliteFrom

var TWSqueeze = &twSqueezeOn

var TWSqueezeAbove = &twSqueezeAbove

var TWPolishFirst = &twPolishFirst

var TWLSFrom = &twLSFrom
var SqSoftOn, SqLQ = &sqSoftOn, &sqLQ

var FiloOn, FiloCheap, FiloRoutes, FiloHeat, FiloStar, FiloStarK = &filoOn, &filoCheap, &filoRoutes, &filoHeat, &filoStar, &filoStarK
var FiloSkip, FiloGainWindow = &filoSkip, &filoGainWindow
var ConstructFast = &constructFast
