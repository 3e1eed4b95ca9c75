#ifndef SE3_CHDF5_SHIM_H
#define SE3_CHDF5_SHIM_H
#include <hdf5.h>
#include <hdf5_hl.h>

/* Macros Swift cannot import, wrapped as functions. */
static inline hid_t se3_h5t_native_float(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t se3_h5t_native_double(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t se3_h5t_native_int8(void) { return H5T_NATIVE_INT8; }
static inline hid_t se3_h5t_native_uint8(void) { return H5T_NATIVE_UINT8; }
static inline hid_t se3_h5t_native_int32(void) { return H5T_NATIVE_INT32; }
static inline hid_t se3_h5t_native_int64(void) { return H5T_NATIVE_INT64; }
static inline hid_t se3_h5t_c_s1(void) { return H5T_C_S1; }
static inline hid_t se3_h5t_std_i64le(void) { return H5T_STD_I64LE; }
static inline hid_t se3_h5t_std_i32le(void) { return H5T_STD_I32LE; }
static inline hid_t se3_h5t_std_u8le(void) { return H5T_STD_U8LE; }
static inline hid_t se3_h5t_ieee_f32le(void) { return H5T_IEEE_F32LE; }
static inline hid_t se3_h5t_ieee_f64le(void) { return H5T_IEEE_F64LE; }
static inline unsigned se3_h5f_acc_rdonly(void) { return H5F_ACC_RDONLY; }
static inline unsigned se3_h5f_acc_rdwr(void) { return H5F_ACC_RDWR; }
static inline unsigned se3_h5f_acc_trunc(void) { return H5F_ACC_TRUNC; }
static inline unsigned se3_h5f_acc_excl(void) { return H5F_ACC_EXCL; }
static inline hid_t se3_h5p_dataset_create(void) { return H5P_DATASET_CREATE; }
static inline hid_t se3_h5p_dataset_xfer(void) { return H5P_DATASET_XFER; }
static inline hid_t se3_h5p_file_access(void) { return H5P_FILE_ACCESS; }
static inline hid_t se3_h5p_default(void) { return H5P_DEFAULT; }
static inline hid_t se3_h5s_all(void) { return H5S_ALL; }
static inline hid_t se3_h5e_default(void) { return H5E_DEFAULT; }
static inline hsize_t se3_h5s_unlimited(void) { return H5S_UNLIMITED; }
/* Added for SE3HDF5 (hdf5data helper). */
static inline size_t se3_h5t_variable(void) { return H5T_VARIABLE; }
static inline hid_t se3_h5p_group_create(void) { return H5P_GROUP_CREATE; }
/* Turn off HDF5's per-thread automatic error printing. */
static inline void se3_h5_silence(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }
static inline void se3_h5_clear_errors(void) { H5Eclear2(H5E_DEFAULT); }
#endif
